package io.github.procgroup.cli;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.Signal;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end tests of the {@code procgroup} command: the built jar runs as a subprocess and the
 * assertions look at its exit status, its stderr and /proc. Every group a test creates is
 * recorded; after each test none of them may have a live member left.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class ProcgroupCommandIT {
    @TempDir
    Path dir;
    private Command command;

    @BeforeEach
    void setUp() {
        command = new Command(dir);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        command.cleanUp();
    }

    /** The group of the last {@link #runTree}. */
    private long pgid;

    /** Runs {@code procgroup --verbose OPTIONS -- sh -c SCRIPT} to its end, the shell first writing its group. */
    private int runTree(String script, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--verbose"));
        args.addAll(List.of(options));
        args.addAll(List.of("--", "sh", "-c", "echo $$ > " + dir.resolve("pgid") + "; " + script));
        int status = command.run(args.toArray(String[]::new));
        pgid = command.awaitNumber("pgid");
        command.track(pgid);
        return status;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"'exit 0', 0", "'exit 3', 3", "'kill -KILL $$', 137", "'kill -USR1 $$', 138"})
    void exitsWithTheCommandsStatus(String script, int expected) throws Exception {
        assertEquals(expected, command.run("--", "sh", "-c", script), command.stderr());
    }

    @Test
    void cgroupEndsASetsidEscapeeAndVerboseSaysSo() throws Exception {
        String probe = io.github.procgroup.cgroup.CgroupTesting.whyUnavailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe == null, () -> "skipped: " + probe);
        // The escapee's parent exits at once: only its cgroup still holds it when the leader exits.
        int status = runTree("sh -c 'setsid sleep 86394 </dev/null >/dev/null 2>&1 & echo $! > " + dir.resolve("escapee")
                + "'; exit 5", "--cgroup");
        long escapee = command.awaitNumber("escapee");
        assertEquals(5, status, command.stderr());
        assertTrue(command.stderr().contains("containment CGROUP"), command.stderr());
        assertFalse(ProcFs.running(escapee), "the setsid escapee ended with the command's cgroup");
    }

    @Test
    void timeoutEndsTheWholeTreeAndExits124() throws Exception {
        long start = System.nanoTime();
        int status = runTree("sleep 100 & sleep 100 & (sleep 100; :) & wait", "--timeout", "1s", "--grace", "60s");

        assertEquals(124, status, command.stderr());
        assertEquals(List.of(), ProcFs.liveMembers(pgid), "live members right after procgroup exited");
        ProcFs.awaitGroupGone(pgid, Duration.ofSeconds(10));
        // All five ended members obeyed SIGTERM: nothing waited for the 60 s grace. (The bound
        // is far from both ends, so a loaded machine's slow JVM start cannot fail it.)
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(),
                "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        String report = command.stderr();
        assertTrue(report.contains("ended 5 processes"), report);
        assertTrue(report.contains(pgid + " sh -c"), report);
        assertEquals(3, report.lines().filter(l -> l.endsWith("sleep 100")).count(), report);
        assertTrue(report.contains("command killed by SIGTERM"), report);
    }

    @Test
    void membersIgnoringSigtermAreKilledAfterTheGrace() throws Exception {
        long start = System.nanoTime();
        int status = runTree("trap '' TERM; sleep 100 & sleep 100 & wait", "--timeout", "1s", "--grace", "1s");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(124, status, command.stderr());
        assertEquals(List.of(), ProcFs.liveMembers(pgid));
        assertTrue(elapsedMillis >= 2000, "SIGKILL came before timeout + grace: " + elapsedMillis + " ms");
        assertTrue(command.stderr().contains("command killed by SIGKILL"), command.stderr());
    }

    /** Each member traps the signal and writes a marker; the leader waits for the others, then exits 42. */
    @ParameterizedTest
    @EnumSource(value = Signal.class, names = {"TERM", "HUP", "USR1", "USR2"})
    void aSignalToProcgroupReachesEveryMember(Signal signal) throws Exception {
        String sig = signal.name();
        String member = "( trap 'echo > $D/got.%1$d; exit 0' " + sig + "; echo > $D/ready.%1$d;"
                + " while :; do sleep 0.1; done ) & ";
        String script = "D=$0; trap 'echo > $D/got.0; wait; exit 42' " + sig + "; "
                + member.formatted(1) + member.formatted(2) + "echo $$ > $D/pgid; wait";
        GroupProcess jar = command.start("--", "sh", "-c", script, dir.toString());
        long pgid = command.awaitNumber("pgid");
        command.track(pgid);
        ProcFs.await(() -> Files.exists(dir.resolve("ready.1")) && Files.exists(dir.resolve("ready.2")),
                Duration.ofSeconds(30), () -> "members not ready: " + ProcFs.group(pgid));

        assertTrue(jar.signalLeader(signal));

        assertEquals(42, jar.awaitExit(Duration.ofSeconds(30)).orElseThrow().shellCode(), command.stderr());
        for (int i = 0; i <= 2; i++) {
            assertTrue(Files.exists(dir.resolve("got." + i)), "member " + i + " did not get " + sig);
        }
        assertEquals(List.of(), ProcFs.liveMembers(pgid));
    }

    /** A non-interactive shell starts background jobs with SIGINT ignored, so only the leader can trap it. */
    @Test
    void sigintReachesTheCommand() throws Exception {
        GroupProcess jar = command.start("--", "sh", "-c",
                "D=$0; trap 'echo > $D/got; exit 42' INT; echo $$ > $D/pgid; while :; do sleep 0.1; done",
                dir.toString());
        command.track(command.awaitNumber("pgid"));

        assertTrue(jar.signalLeader(Signal.INT));

        assertEquals(42, jar.awaitExit(Duration.ofSeconds(30)).orElseThrow().shellCode(), command.stderr());
        assertTrue(Files.exists(dir.resolve("got")));
    }

    @Test
    void membersLeftWhenTheCommandExitsAreEnded() throws Exception {
        int status = runTree("sleep 100 & sleep 100 & exit 5");

        assertEquals(5, status, command.stderr());
        assertEquals(List.of(), ProcFs.liveMembers(pgid));
        assertTrue(command.stderr().contains("ended 2 processes"), command.stderr());
    }

    @Test
    void newSessionStartsTheCommandInASessionOfItsOwn() throws Exception {
        int status = runTree("test $(cut -d' ' -f6 /proc/$$/stat) = $$", "--new-session");
        assertEquals(0, status, "the shell's session id is not its pid; " + command.stderr());
        assertEquals(1, runTree("test $(cut -d' ' -f6 /proc/$$/stat) = $$"), "without --new-session");
    }

    @Test
    void missingCommandExits127WithOneLineAsGnuTimeoutSaysIt() throws Exception {
        assertEquals(127, command.run("--", "no-such-command-procgroup-it"));
        assertEquals(List.of("procgroup: failed to run command 'no-such-command-procgroup-it': No such file or directory"),
                command.stderr().lines().toList());
    }

    @Test
    void nonExecutableFileExits126WithOneLine() throws Exception {
        Path file = Files.createFile(dir.resolve("not-executable"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(file, "#!/bin/sh\necho should not run\n");

        assertEquals(126, command.run("--", file.toString()));
        assertEquals(List.of("procgroup: failed to run command '" + file + "': Permission denied"),
                command.stderr().lines().toList());
        assertEquals("", command.stdout());
    }

    @Test
    void badUsageExits125() throws Exception {
        assertEquals(125, command.run("--timeout", "soon", "--", "true"));
        assertTrue(command.stderr().contains("'soon'"), command.stderr());
    }

    /** The command double-forks a daemon into a session of its own, then exits at once. */
    private static final String DAEMONIZE = "D=$0; (setsid sh -c 'echo $$ > '$D'/daemon; exec sleep 1000' &);"
            + " while [ ! -s $D/daemon ]; do sleep 0.05; done";

    @Test
    void subreaperEndsAndReapsADoubleForkedDaemon() throws Exception {
        int status = command.run("--subreaper", "--verbose", "--", "sh", "-c", DAEMONIZE, dir.toString());
        long daemon = command.awaitNumber("daemon");
        command.track(daemon); // setsid: it leads its own group

        assertEquals(0, status, command.stderr());
        // Not even a zombie: procgroup, its adoptive parent, reaped it before exiting.
        assertEquals(java.util.Optional.empty(), ProcFs.proc(daemon), "the daemon after procgroup exited");
        assertTrue(command.stderr().contains(" " + daemon + " "), command.stderr());
    }

    /** tini's job: an orphan that exits while the command still runs does not stay a zombie. */
    @Test
    void subreaperReapsOrphansWhileTheCommandRuns() throws Exception {
        GroupProcess jar = command.start("--subreaper", "--", "sh", "-c",
                "D=$0; echo $$ > $D/pgid; (sleep 0.5 & echo $! > $D/orphan); sleep 30", dir.toString());
        command.track(command.awaitNumber("pgid"));
        long orphan = command.awaitNumber("orphan");

        ProcFs.await(() -> ProcFs.proc(orphan).isEmpty(), Duration.ofSeconds(10),
                () -> "orphan " + orphan + " not reaped: " + ProcFs.proc(orphan));
        assertTrue(jar.isAlive(), "procgroup reaped it while the command ran");
        jar.signalLeader(Signal.TERM);
        assertEquals(143, jar.awaitExit(Duration.ofSeconds(30)).orElseThrow().shellCode(), command.stderr());
    }

    /** The control for the test above: without --subreaper the daemon escapes the tree. */
    @Test
    void withoutSubreaperADoubleForkedDaemonEscapes() throws Exception {
        int status = command.run("--", "sh", "-c", DAEMONIZE, dir.toString());
        long daemon = command.awaitNumber("daemon");

        assertEquals(0, status, command.stderr());
        ProcFs.Proc escaped = ProcFs.proc(daemon).orElseThrow();
        assertFalse(escaped.zombie(), "the daemon should still run: " + escaped);
        // The cleanup must not count it as a leftover of procgroup: end it here, then check it went.
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        ProcFs.await(() -> ProcFs.proc(daemon).map(ProcFs.Proc::zombie).orElse(true), Duration.ofSeconds(10),
                () -> "daemon " + daemon + " survived SIGKILL");
    }

    @Test
    void gnuTimeoutFormTimesOutWith124() throws Exception {
        int status = command.run("-v", "1s", "sh", "-c",
                "echo $$ > " + dir.resolve("pgid") + "; sleep 100 & sleep 100 & wait");
        pgid = command.awaitNumber("pgid");
        command.track(pgid);

        assertEquals(124, status, command.stderr());
        assertEquals(List.of(), ProcFs.liveMembers(pgid));
        assertTrue(command.stderr().contains("ended 3 processes"), command.stderr());
    }

    @Test
    void preserveStatusExitsWithTheCommandsStatusAfterATimeout() throws Exception {
        assertEquals(143, runTree("sleep 100 & wait", "--preserve-status", "--timeout", "1s"), command.stderr());
        assertEquals(137, runTree("trap '' TERM; sleep 100 & wait", "--preserve-status", "-k", "1s", "--timeout", "1s"),
                command.stderr());
    }

    @Test
    void timeoutExits124AlsoWhenSigkillWasNeeded() throws Exception {
        assertEquals(124, runTree("trap '' TERM; sleep 100 & wait", "-k", "0.5s", "--timeout", "1s"), command.stderr());
        assertTrue(command.stderr().contains("command killed by SIGKILL"), command.stderr());
    }

    /** The shell traps SIGINT and exits 42: -s INT sent that, not SIGTERM. */
    @Test
    void signalOptionChoosesTheFirstSignal() throws Exception {
        int status = runTree("trap 'exit 42' INT; while :; do sleep 0.1; done", "-s", "INT", "--preserve-status",
                "--timeout", "1s");
        assertEquals(42, status, command.stderr());
        assertTrue(command.stderr().contains("sending SIGINT to the tree"), command.stderr());
    }

    @Test
    void versionComesFromTheJarManifest() throws Exception {
        assertEquals(0, command.run("--version"));
        assertEquals("procgroup " + System.getProperty("procgroup.version", "0.1.0-SNAPSHOT") + "\n", command.stdout());
    }

    @Test
    void verboseReportsNoSignalsItDoesNotForward() throws Exception {
        assertEquals(0, command.run("-v", "--", "true"));
        assertFalse(command.stderr().contains("not forwarded"), command.stderr());
        assertTrue(command.stderr().contains("procgroup: started pid"), command.stderr());
    }

    /**
     * Without --subreaper too, the command ends what the library's close() ends: here a member's
     * child that left for a session of its own (setsid) while its parent, the member, still runs.
     */
    @Test
    void plainModeEndsASetsidChildWhoseParentIsAlive() throws Exception {
        int status = runTree("D=" + dir + "; ( setsid sleep 1000 & echo $! > $D/escapee; wait ) &"
                + " while [ ! -s $D/escapee ]; do sleep 0.05; done; exit 0");
        long escapee = command.awaitNumber("escapee");
        command.track(escapee); // setsid: it leads its own group

        assertEquals(0, status, command.stderr());
        assertFalse(ProcFs.running(escapee), "the setsid child after procgroup exited: " + ProcFs.proc(escapee));
        assertTrue(command.stderr().contains(" " + escapee + " "), command.stderr());
    }

    /**
     * Unlike GNU timeout's --foreground, procgroup's gives the command a group of its own (whose
     * group gets the terminal, where there is one) and ends its whole tree on timeout.
     */
    @Test
    void foregroundGivesTheCommandItsOwnGroupAndEndsItsChildrenOnTimeout() throws Exception {
        GroupProcess jar = command.start("--foreground", "-v", "1s", "sh", "-c",
                "D=$0; cut -d' ' -f5 /proc/$$/stat > $D/pgid; echo $$ > $D/shell; sleep 1000 & echo $! > $D/child; wait",
                dir.toString());
        long group = command.awaitNumber("pgid");
        command.track(group);
        long shell = command.awaitNumber("shell");
        long child = command.awaitNumber("child");

        assertEquals(124, jar.awaitExit(Duration.ofSeconds(30)).orElseThrow().shellCode(), command.stderr());
        assertEquals(shell, group, "the command leads a group of its own");
        assertTrue(group != jar.pid(), "not procgroup's group");
        assertFalse(ProcFs.running(child), "the command's child after the timeout: " + ProcFs.proc(child));
        assertTrue(command.stderr().contains("ended 2 processes"), command.stderr());
    }

    /** Allowed together now: the command is a GroupProcess the library reaps, beside the orphans it adopts. */
    @Test
    void foregroundWithSubreaperEndsAndReapsADoubleForkedDaemon() throws Exception {
        int status = command.run("--foreground", "--subreaper", "--verbose", "--", "sh", "-c", DAEMONIZE, dir.toString());
        long daemon = command.awaitNumber("daemon");
        command.track(daemon);

        assertEquals(0, status, command.stderr());
        assertEquals(java.util.Optional.empty(), ProcFs.proc(daemon), "the daemon after procgroup exited");
    }

    /**
     * Under a pseudo-terminal (script, util-linux), where procgroup's group is the terminal's
     * foreground group: with --foreground the command reads a byte typed to the terminal.
     */
    @Test
    @Timeout(90)
    void underATerminalForegroundLetsTheCommandReadIt() throws Exception {
        List<String> lines = underTerminal("--foreground", "-v", "--timeout", "30s");
        assertTrue(lines.contains("read=x"), "the command read the typed byte: " + lines);
        assertTrue(lines.contains("procgroup-exit=0"), lines.toString());
    }

    /** The control: without --foreground the command's group is a background group, and reading stops it. */
    @Test
    @Timeout(90)
    void underATerminalWithoutForegroundTheCommandIsStoppedAndTheStopReported() throws Exception {
        List<String> lines = underTerminal("-v", "--timeout", "4s");
        String all = String.join("\n", lines);
        assertFalse(lines.contains("read=x"), all);
        assertTrue(all.contains("is stopped by SIGTTIN") && all.contains("--foreground"), "the stop is reported: " + all);
        assertTrue(lines.contains("procgroup-exit=124"), "timed out while stopped: " + all);
    }

    /**
     * Runs {@code procgroup OPTIONS -- sh -c 'echo read=$(head -c1)'} on a pseudo-terminal, types
     * {@code x} once procgroup reports the start, and returns what appeared on the terminal (the
     * echo of the typed line included; the command's own output is the {@code read=} line).
     */
    private List<String> underTerminal(String... options) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) from util-linux");
        List<String> jar = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Command.JAR.toString()));
        jar.addAll(List.of(options));
        jar.addAll(List.of("--", "sh", "-c", "echo $$ > " + dir.resolve("pgid") + "; echo read=$(head -c1)"));
        String line = jar.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "))
                + "; echo procgroup-exit=$?";
        // script runs the line in a new session on the pseudo-terminal: sh, then procgroup, in its foreground group.
        GroupProcess script = new io.github.procgroup.GroupProcessBuilder("script", "-qc", line, "/dev/null")
                .redirectErrorStream(true).start();
        // A hung terminal must not hang the test: killing script closes the pipe the loop below reads.
        java.util.concurrent.CompletableFuture.delayedExecutor(60, java.util.concurrent.TimeUnit.SECONDS)
                .execute(() -> script.signal(Signal.KILL));
        List<String> lines = new java.util.ArrayList<>();
        try (OutputStream typed = script.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = out.readLine()) != null) {
                l = l.replace("\r", "").strip();
                lines.add(l);
                if (l.startsWith("procgroup: started pid")) {
                    command.track(command.awaitNumber("pgid"));
                    typed.write("x\n".getBytes(StandardCharsets.UTF_8));
                    typed.flush();
                }
                if (l.startsWith("procgroup-exit=")) {
                    break;
                }
            }
            assertTrue(script.awaitExit(Duration.ofSeconds(30)).isPresent(), "script did not exit: " + lines);
            return lines;
        } finally {
            script.close(); // ends script's tree: the session on the terminal too, were it still there
        }
    }

    @Test
    void foregroundReportsAMissingCommandLikeTheDefaultMode() throws Exception {
        assertEquals(127, command.run("--foreground", "--", "no-such-command-procgroup-it"));
        assertEquals(List.of("procgroup: failed to run command 'no-such-command-procgroup-it': No such file or directory"),
                command.stderr().lines().toList());
    }
}
