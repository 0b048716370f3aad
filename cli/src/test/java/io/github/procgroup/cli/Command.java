package io.github.procgroup.cli;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.Signal;
import io.github.procgroup.testing.ProcFs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built {@code procgroup.jar} run as a subprocess of the test JVM, the way a user runs it:
 * {@code java -jar procgroup.jar ARGS}, stdout and stderr into files of {@code dir}. Started
 * through procgroup itself so that it begins with every signal at its default action (a JVM
 * started with SIGINT ignored keeps it ignored). Remembers every group it has to clean up.
 */
final class Command {
    static final Path JAR = Path.of(System.getProperty("procgroup.jar", "target/procgroup.jar"));
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final Path dir;
    private final List<Long> groups = new ArrayList<>();
    private final List<GroupProcess> jars = new ArrayList<>();

    Command(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code java -jar procgroup.jar args}. */
    GroupProcess start(String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run mvn -B verify (package builds it)");
        }
        List<String> command = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        GroupProcess jar = new GroupProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        jars.add(jar);
        groups.add(jar.processGroupId());
        return jar;
    }

    /** Runs the jar to its end (at most 60 s) and returns its exit status. */
    int run(String... args) throws IOException, InterruptedException {
        GroupProcess jar = start(args);
        if (!jar.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("procgroup did not exit within 60 s; stderr: " + stderr());
        }
        return jar.exitValue();
    }

    /** Remembers a group (or a lone pid, which leads its own group after setsid) for the cleanup. */
    void track(long pgid) {
        groups.add(pgid);
    }

    /** Waits for a file the command's tree writes, such as its pid, and returns its first line as a number. */
    long awaitNumber(String file) {
        Path path = dir.resolve(file);
        ProcFs.await(() -> {
            try {
                return Files.readString(path).endsWith("\n");
            } catch (IOException notYet) {
                return false;
            }
        }, Duration.ofSeconds(30), () -> file + " never written; stderr: " + stderr());
        try {
            return Long.parseLong(Files.readString(path).strip());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    String stderr() {
        return read("stderr");
    }

    String stdout() {
        return read("stdout");
    }

    private String read(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Kills whatever is left in the groups this test recorded, then fails if there was anything:
     * a test must never leave a process behind, and must not hide one that procgroup left.
     */
    void cleanUp() throws InterruptedException {
        List<ProcFs.Proc> leftovers = new ArrayList<>();
        for (long pgid : groups) {
            List<ProcFs.Proc> live = ProcFs.liveMembers(pgid);
            leftovers.addAll(live);
            live.forEach(p -> ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly));
        }
        for (GroupProcess jar : jars) {
            if (jar.isAlive()) {
                jar.signal(Signal.KILL);
            }
            jar.close();
        }
        for (long pgid : groups) {
            ProcFs.await(() -> ProcFs.liveMembers(pgid).isEmpty(), Duration.ofSeconds(10),
                    () -> "cannot kill group " + pgid + ": " + ProcFs.group(pgid));
        }
        if (!leftovers.isEmpty()) {
            throw new AssertionError("processes left behind (now killed): " + leftovers + "; stderr: " + stderr());
        }
    }
}
