package io.github.procgroup;

import io.github.procgroup.scenarios.ContractScenarios;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same scenarios against {@link ProcessBuilder} and {@link GroupProcessBuilder}: the observable
 * result must be the same, except for the differences listed in docs/differences.md, which the
 * tests here assert as such. Scenarios that need a JVM of their own (an fd limit, a PATH, a
 * terminal, a native-access mode, an exit) run {@link ContractScenarios} in one.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProcessContractTest {
    @TempDir
    Path tmp;

    /** Who starts the process. */
    enum Kind {
        JDK, PROCGROUP;

        /** Starts {@code command}, after {@code environment} edited the child's environment. */
        Process start(List<String> command, Consumer<Map<String, String>> environment) throws IOException {
            if (this == JDK) {
                ProcessBuilder b = new ProcessBuilder(command);
                environment.accept(b.environment());
                return b.start();
            }
            GroupProcessBuilder b = new GroupProcessBuilder(command);
            environment.accept(b.environment());
            return b.start();
        }

        Process start(String... command) throws IOException {
            return start(List.of(command), env -> { });
        }

        String argument() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readingToTheEndAfterWaitForEndsThoughAGrandchildHoldsThePipe(Kind kind) throws Exception {
        Path pidFile = tmp.resolve("grandchild");
        Process p = kind.start("sh", "-c", "sleep 300 & echo \"$!\" > \"$0\"; echo hello", pidFile.toString());
        long grandchild = -1;
        try {
            assertEquals(0, p.waitFor());
            grandchild = Long.parseLong(Files.readString(pidFile).trim());
            String pipe = ProcFs.fdTarget(grandchild, 1); // the grandchild holds the stdout pipe
            // The reap drains the pipe and closes the JVM's fd: the JDK's reaper right after waitFor
            // returns, procgroup's native backend before it returns (the portable fallback's streams
            // are the JDK's, so they close as the JDK's do). Waited for as a fact in /proc, not for a time.
            if (kind == Kind.PROCGROUP && !io.github.procgroup.testing.Backends.portable()) {
                assertFalse(jvmHolds(pipe), "closed before waitFor returned");
            }
            ProcFs.await(() -> !jvmHolds(pipe), Duration.ofSeconds(30), () -> "the JVM still holds " + pipe);

            assertEquals("hello\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

            assertTrue(ProcFs.running(grandchild), "the grandchild still runs and holds the pipe");
            assertEquals(-1, p.getInputStream().read(), "stays at the end");
        } finally {
            killGrandchildAndClose(p, grandchild);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aLargeReadTakesAllThatAFullPipeHoldsInOneCall(Kind kind) throws Exception {
        // The JDK's stream reads a large array with one read(2): a full default pipe (64 KiB) in one
        // call. A smaller transfer size costs a system call, and a wakeup of the writer, per chunk.
        Process p = kind.start("sh", "-c", "head -c 65536 /dev/zero; echo full >&2; exec sleep 300");
        try {
            BufferedReader stderr = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            assertEquals("full", stderr.readLine(), "head wrote the whole 64 KiB into the pipe");
            byte[] buffer = new byte[1 << 20];
            assertEquals(65536, p.getInputStream().read(buffer), "one read returns the full pipe");
        } finally {
            p.destroyForcibly();
            p.waitFor();
            killGrandchildAndClose(p, -1);
        }
    }

    private static boolean jvmHolds(String pipe) {
        return !ProcFs.fdsOn(pipe).isEmpty();
    }

    private static void killGrandchildAndClose(Process p, long grandchild) {
        if (grandchild > 0) {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (p instanceof GroupProcess g) {
            g.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // 5,000 spawns: minutes on a loaded machine, for either
    void fiveThousandChildrenWaitedForButNeverClosedFitInAnFdLimitOf256(Kind kind) throws Exception {
        Result r = runJvm(List.of(), Map.of(), "ulimit -n 256", "cycles", kind.argument(), "5000");
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("done=5000"), r.output);
        int fds = Integer.parseInt(r.output.replaceAll("(?s).*fds=(\\d+).*", "$1"));
        assertTrue(fds < 64, "fds left open at the end: " + fds);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void outOfFdsTheStartFailsNamingTheCause(Kind kind) throws Exception {
        Result r = runJvm(List.of(), Map.of(), "ulimit -n 128", "emfile", kind.argument());
        String failed = r.line("failed", "started");
        if (kind == Kind.JDK) {
            assertTrue(failed.startsWith("failed="), r.output); // the JDK's IOException, "error=24" or so
        } else {
            assertTrue(failed.startsWith("failed=EMFILE message=cannot start program \"true\""), r.output);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aClearedEnvironmentStillFindsTheProgramInTheJvmsPath(Kind kind) throws Exception {
        Process p = kind.start(List.of("env"), Map::clear);
        try {
            assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, p.waitFor());
        } finally {
            killGrandchildAndClose(p, -1);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theChildsPathIsNotWhereTheProgramIsLookedUp(Kind kind) throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        executable(bin.resolve("procgroup-only-here"), "#!/bin/sh\necho found\n");
        IOException e = assertThrows(IOException.class, () -> kind.start(List.of("procgroup-only-here"),
                env -> env.put("PATH", bin + ":/usr/bin:/bin")));
        if (e instanceof ErrnoException errno) {
            assertEquals("ENOENT", errno.errnoName());
        } else {
            assertTrue(e.getMessage().matches("(?s).*error[=:] ?2\\b.*"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aProgramOnlyOnTheJvmsPathIsFoundWhateverTheChildsPath(Kind kind) throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        executable(bin.resolve("procgroup-jvm-only"), "#!/bin/sh\necho found\n");
        Map<String, String> jvmPath = Map.of("PATH", bin + ":/usr/bin:/bin");
        for (String childEnv : List.of("clear", "PATH=/nonexistent", "keep")) {
            Result r = runJvm(List.of(), jvmPath, null, "lookup", kind.argument(), "procgroup-jvm-only", childEnv);
            assertEquals("ran=0 out=found", r.line("ran", "failed"), childEnv + ": " + r.output);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void onTheJvmsPathANonExecutableFileIsEaccesAndAScriptWithoutShebangRunsInSh(Kind kind) throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Files.writeString(bin.resolve("procgroup-not-executable"), "echo hi\n");
        executable(bin.resolve("procgroup-no-shebang"), "echo \"ran by sh\"\n");
        Map<String, String> jvmPath = Map.of("PATH", bin + ":/usr/bin:/bin");
        assertEquals("failed=EACCES", runJvm(List.of(), jvmPath, null, "lookup", kind.argument(),
                "procgroup-not-executable", "clear").line("ran", "failed"));
        assertEquals("ran=0 out=ran by sh", runJvm(List.of(), jvmPath, null, "lookup", kind.argument(),
                "procgroup-no-shebang", "keep").line("ran", "failed"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRelativeEntryOfTheJvmsPathIsRelativeToTheChildsDirectory(Kind kind) throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        executable(Files.createDirectory(work.resolve("bin")).resolve("procgroup-relative"), "#!/bin/sh\npwd\n");
        Result r = runJvm(List.of(), Map.of("PATH", "bin:/usr/bin:/bin"), null,
                "lookup", kind.argument(), "procgroup-relative", "keep", work.toString());
        assertEquals("ran=0 out=" + work.toRealPath(), r.line("ran", "failed"), r.output);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aChildReadingTheTerminal(Kind kind) throws Exception {
        List<String> output = underTerminal(kind, false);
        String outcome = output.get(output.size() - 1);
        if (kind == Kind.JDK) {
            assertEquals("exit=0 jvmForeground=true", outcome, "the JDK's child is in the terminal's foreground group");
        } else {
            // Documented difference: its own group is a background group; the stop is reported.
            assertEquals("hung=T stoppedBy=SIGTTIN", outcome);
            assertTrue(output.stream().anyMatch(l -> l.contains("is stopped by SIGTTIN") && l.contains("foreground(true)")),
                    "one warning logged: " + output);
        }
    }

    @Test
    void aChildInForegroundModeReadsTheTerminalAndTheJvmGetsItBack() throws Exception {
        List<String> output = underTerminal(Kind.PROCGROUP, true);
        assertEquals("exit=0 jvmForeground=true", output.get(output.size() - 1), output.toString());
    }

    /**
     * Runs the terminal scenario in a JVM on a pseudo-terminal (script), typing one line into it.
     *
     * @return the lines the JVM wrote to the terminal, the outcome last
     */
    private List<String> underTerminal(Kind kind, boolean foreground) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) from util-linux");
        String command = String.join(" ", javaCommand(List.of(), "terminal", kind.argument(),
                String.valueOf(foreground)).stream().map(ProcessContractTest::quote).toList());
        Process script = new ProcessBuilder("script", "-qec", command, "/dev/null")
                .redirectErrorStream(true).start();
        try (OutputStream typed = script.getOutputStream()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.contains("started=")) {
                // the JVM's start-up output, if any
            }
            typed.write("x\n".getBytes(StandardCharsets.UTF_8));
            typed.flush();
            List<String> lines = new ArrayList<>();
            while ((line = out.readLine()) != null) {
                line = line.replace("\r", "").trim();
                lines.add(line);
                if (line.startsWith("exit=") || line.startsWith("hung=")) {
                    return lines;
                }
            }
            lines.add("no outcome, script exit " + script.waitFor());
            return lines;
        } finally {
            script.destroyForcibly();
            script.waitFor();
        }
    }

    @Test
    void underDeniedNativeAccessOnTheClassPathOneClearExceptionNamesTheFlag() throws Exception {
        Result r = runJvm(List.of("--illegal-native-access=deny"), Map.of(), null, "native", "procgroup");
        assertTrue(r.output.contains("failed=java.lang.IllegalCallerException"), r.output);
        assertTrue(r.output.contains("add --enable-native-access=ALL-UNNAMED"), r.output);
        assertTrue(r.output.contains("again=java.lang.IllegalCallerException"), "the same, not NoClassDefFoundError: " + r.output);
        assertTrue(r.output.contains("signal=15"), "Signal works without native access: " + r.output);
        assertTrue(runJvm(List.of("--illegal-native-access=deny"), Map.of(), null, "native", "jdk").output
                .contains("started=0"), "the JDK needs no native access for its own processes");
    }

    @Test
    void underDeniedNativeAccessOnTheModulePathTheExceptionNamesTheOneModule() throws Exception {
        // The generated bindings are inside procgroup's module: one module on the path, one to grant.
        assertEquals(location(GroupProcess.class), location(io.github.procgroup.bindings.linux.LibC.class));
        List<String> modulePath = List.of("--module-path", location(GroupProcess.class),
                "--add-modules", "io.github.procgroup");
        List<String> denied = new ArrayList<>(List.of("--illegal-native-access=deny"));
        denied.addAll(modulePath);
        Result r = runJvmOnClassPath(denied, location(ContractScenarios.class), "native", "procgroup");
        assertTrue(r.output.contains("add --enable-native-access=io.github.procgroup to"), r.output);
        assertTrue(r.output.contains("on the module path"), r.output);

        denied.add("--enable-native-access=io.github.procgroup");
        Result granted = runJvmOnClassPath(denied, location(ContractScenarios.class), "native", "procgroup");
        assertTrue(granted.output.contains("started=0"), granted.output);
    }

    @Test
    void theExitHookGivesATermTrappingServerItsGraceThenTheTreeIsGone() throws Exception {
        Path flushed = tmp.resolve("flushed");
        Result r = runJvm(List.of(), Map.of(), null, "exit-hook", "procgroup", flushed.toString(), "PT30S");
        long pid = Long.parseLong(r.line("pid").replaceAll("pid=(\\d+).*", "$1"));
        assertEquals(0, r.exit, r.output);
        assertEquals("flushed\n", Files.readString(flushed), "the server ran its TERM handler");
        ProcFs.awaitGroupGone(pid, Duration.ofSeconds(10));
    }

    @Test
    void aZeroExitHookGraceKillsAtOnce() throws Exception {
        Path flushed = tmp.resolve("flushed");
        Result r = runJvm(List.of(), Map.of(), null, "exit-hook", "procgroup", flushed.toString(), "PT0S");
        long pid = Long.parseLong(r.line("pid").replaceAll("pid=(\\d+).*", "$1"));
        ProcFs.awaitGroupGone(pid, Duration.ofSeconds(10));
        assertFalse(Files.exists(flushed), "SIGKILL: no handler ran");
    }

    @Test
    void aProcessBuilderChildOutlivesTheJvm() throws Exception {
        // The documented difference the hook makes: the JDK leaves its children running.
        Path flushed = tmp.resolve("flushed");
        Result r = runJvm(List.of(), Map.of(), null, "exit-hook", "jdk", flushed.toString(), "PT0S");
        long pid = Long.parseLong(r.line("pid").replaceAll("pid=(\\d+).*", "$1"));
        try {
            assertTrue(ProcFs.running(pid), "still running after its JVM exited");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcFs.await(() -> !ProcFs.running(pid), Duration.ofSeconds(10), () -> "pid " + pid + " survived SIGKILL");
        }
    }

    @Test
    void terminateCalledWithTheInterruptFlagSetStillEndsTheTree() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "trap '' TERM; sleep 300 & echo ready; while :; do sleep 0.1; done").start();
        try (p) {
            assertEquals("ready", p.inputReader().readLine());
            Thread.currentThread().interrupt();

            assertThrows(InterruptedException.class, () -> p.terminate(Duration.ofSeconds(60)));

            assertFalse(Thread.currentThread().isInterrupted(), "thrown, so cleared");
            assertEquals(List.of(), ProcFs.liveMembers(p.pid()), "SIGKILL reached the TERM-ignoring members");
            assertEquals(Signal.KILL, p.exitStatus().orElseThrow().signal().orElseThrow());
        } finally {
            Thread.interrupted();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void twoHundredVirtualThreadsBlockedReadingChildrenDoNotStall(Kind kind) throws Exception {
        int n = 200;
        CountDownLatch allReading = new CountDownLatch(n);
        List<Process> children = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> lines = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Process p = kind.start("sh", "-c", "read x; echo \"got $x\"");
                children.add(p);
                lines.add(threads.submit(() -> {
                    allReading.countDown();
                    return p.inputReader().readLine(); // blocks until the line below is written
                }));
            }
            // Each reader has started (and soon blocks): a reader pinning its carrier would stop the rest here.
            assertTrue(allReading.await(60, TimeUnit.SECONDS), "readers stalled: " + allReading.getCount() + " never ran");
            for (int i = 0; i < n; i++) {
                try (OutputStream in = children.get(i).getOutputStream()) {
                    in.write(("line" + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            for (int i = 0; i < n; i++) {
                assertEquals("got line" + i, lines.get(i).get(60, TimeUnit.SECONDS));
            }
        } finally {
            for (Process p : children) {
                p.waitFor();
                killGrandchildAndClose(p, -1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void withRedirectErrorStreamARedirectErrorFileIsStillCreatedAndTruncated(Kind kind) throws Exception {
        Path err = Files.writeString(tmp.resolve("err.txt"), "old content");
        Path created = tmp.resolve("created.txt");
        Process truncating = kind == Kind.JDK
                ? new ProcessBuilder("sh", "-c", "echo out; echo err >&2").redirectErrorStream(true)
                        .redirectError(err.toFile()).start()
                : new GroupProcessBuilder("sh", "-c", "echo out; echo err >&2").redirectErrorStream(true)
                        .redirectError(err.toFile()).start();
        assertEquals("out\nerr\n", new String(truncating.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, truncating.waitFor());
        assertEquals("", Files.readString(err), "truncated, and nothing written to it");
        Process creating = kind == Kind.JDK
                ? new ProcessBuilder("true").redirectErrorStream(true).redirectError(created.toFile()).start()
                : new GroupProcessBuilder("true").redirectErrorStream(true).redirectError(created.toFile()).start();
        assertEquals(0, creating.waitFor());
        assertTrue(Files.exists(created), "created");
        killGrandchildAndClose(truncating, -1);
        killGrandchildAndClose(creating, -1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEnvironmentVariableWithAnEmptyNameIsPassedOn(Kind kind) throws Exception {
        Process p = kind.start(List.of("env"), env -> env.put("", "empty-name"));
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.lines().anyMatch("=empty-name"::equals), out);
            assertEquals(0, p.waitFor());
        } finally {
            killGrandchildAndClose(p, -1);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void toStringHasTheJdksShape(Kind kind) throws Exception {
        Process p = kind.start("cat");
        try {
            String prefix = (kind == Kind.JDK ? "Process[pid=" + p.pid() : "GroupProcess[pid=" + p.pid() + ", pgid=" + p.pid());
            assertEquals(prefix + ", exitValue=\"not exited\"]", p.toString());
            p.getOutputStream().close();
            assertEquals(0, p.waitFor());
            String exited = p.toString();
            assertTrue(exited.startsWith(prefix + ", exitValue=0"), exited);
        } finally {
            killGrandchildAndClose(p, -1);
        }
    }

    @Test
    void onExitStatusCompletesWithTheDecodedStatusOffTheWatcherThread() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "exit 3").start()) {
            ExitStatus status = p.onExitStatus().get(30, TimeUnit.SECONDS);
            assertEquals(ExitStatus.exited(3), status);
            assertFalse(status.isSuccess());
            String thread = p.onExitStatus().thenApply(s -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
            assertFalse(thread.equals("procgroup-exit-watcher"), thread);
            p.onExitStatus().cancel(true);
            assertEquals(ExitStatus.exited(3), p.onExitStatus().get(), "a cancelled copy changes nothing");
            assertTrue(p.onExit().get() == p, "onExit stays the JDK's");
        }
        assertTrue(ExitStatus.exited(0).isSuccess());
        assertFalse(ExitStatus.killedBy(15, false).isSuccess());
    }

    @Test
    void closeOverridesProcessCloseWhereTheJdkHasOne() throws Exception {
        java.lang.reflect.Method close = GroupProcess.class.getMethod("close");
        assertEquals(GroupProcess.class, close.getDeclaringClass());
        assertEquals(0, close.getExceptionTypes().length, "no IOException to catch");
        assertTrue(AutoCloseable.class.isAssignableFrom(GroupProcess.class));
        boolean jdkCloseable = java.io.Closeable.class.isAssignableFrom(Process.class);
        assertEquals(Runtime.version().feature() >= 26, jdkCloseable, "Process is Closeable from JDK 26");
        if (jdkCloseable) {
            // A Process variable closes the whole tree, through the override.
            GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 300 & wait").start();
            ProcFs.awaitLiveMembers(p.pid(), 2, Duration.ofSeconds(10));
            ((AutoCloseable) (Process) p).close();
            assertEquals(List.of(), ProcFs.liveMembers(p.pid()));
        }
    }

    // --- second JVMs --------------------------------------------------------------------------

    /** What a scenario JVM printed (stdout and stderr) and its exit code. */
    record Result(int exit, String output) {
        /** @return the first line starting with one of {@code keys} followed by '=' */
        String line(String... keys) {
            for (String l : output.split("\n")) {
                for (String key : keys) {
                    if (l.startsWith(key + "=")) {
                        return l;
                    }
                }
            }
            throw new AssertionError("no " + String.join("/", keys) + "= line in: " + output);
        }
    }

    private static Result runJvm(List<String> jvmOptions, Map<String, String> environment, String shellPrefix,
                                 String... args) throws Exception {
        return run(javaCommand(jvmOptions, args), environment, shellPrefix);
    }

    private static Result runJvmOnClassPath(List<String> jvmOptions, String classPath, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classPath, ContractScenarios.class.getName()));
        command.addAll(List.of(args));
        return run(command, Map.of(), null);
    }

    private static Result run(List<String> command, Map<String, String> environment, String shellPrefix) throws Exception {
        List<String> full = new ArrayList<>();
        if (shellPrefix != null) {
            full.addAll(List.of("sh", "-c", shellPrefix + " && exec \"$@\"", "sh"));
        }
        full.addAll(command);
        ProcessBuilder b = new ProcessBuilder(full).redirectErrorStream(true);
        b.environment().putAll(environment);
        Process p = b.start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(1, TimeUnit.MINUTES), "scenario JVM did not end: " + output);
            return new Result(p.exitValue(), output);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("--illegal-native-access"))) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ContractScenarios.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void executable(Path file, String content) throws IOException {
        EnvironmentTest.executable(file, content);
    }
}
