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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The procgroup command run as a subprocess of the test JVM, the way a user runs it: either the
 * built jar ({@code java -jar procgroup.jar ARGS}) or the launcher ({@code bin/procgroup ARGS}), with
 * stdout and stderr into files of {@code dir}. The launcher runs as from a fresh shell on a machine
 * whose default java is old: no JAVA_HOME, and Java 17 first on PATH where the machine has it, so
 * it has to find a Java 22+ by itself. Started through procgroup itself so that it begins with
 * every signal at its default action (a JVM started with SIGINT ignored keeps it ignored).
 * Remembers every group it has to clean up.
 */
final class Command {
    static final Path JAR = Path.of(System.getProperty("procgroup.jar", "target/procgroup.jar"));
    static final Path LAUNCHER = Path.of(System.getProperty("procgroup.launcher", "../bin/procgroup"));
    /** Where the launcher keeps its class-data archive during the tests (not the user's cache). */
    static final Path CACHE = Path.of(System.getProperty("procgroup.cache", "target/launcher-cache"));
    /**
     * A Java older than the command needs (8 to 21), where the machine has one in the places
     * bin/find-jdk searches; null where there is none (tests that need it skip then).
     */
    static final Path OLD_JAVA_HOME = OldJava.find().orElse(null);
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** How the command is run. */
    enum Runner { JAR, LAUNCHER }

    private final Path dir;
    private final Runner runner;
    private final List<Long> groups = new ArrayList<>();
    private final List<GroupProcess> jars = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();

    Command(Path dir) {
        this(dir, Runner.JAR);
    }

    Command(Path dir, Runner runner) {
        this.dir = dir;
        this.runner = runner;
    }

    /**
     * Sets an environment variable for the runs that follow (over {@link #asFromAFreshShell}'s, so
     * {@code XDG_CACHE_HOME} too); a null value removes it.
     *
     * @return this
     */
    Command environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts {@code java -jar procgroup.jar args} or {@code bin/procgroup args}. */
    GroupProcess start(String... args) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run mvn -B verify (package builds it)");
        }
        List<String> command = new ArrayList<>(runner == Runner.JAR
                ? List.of(JAVA, "-jar", JAR.toString()) : List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        GroupProcessBuilder builder = new GroupProcessBuilder(command);
        if (runner == Runner.LAUNCHER) {
            asFromAFreshShell(builder.environment());
        }
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        GroupProcess jar = builder
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        jars.add(jar);
        groups.add(jar.processGroupId());
        return jar;
    }

    /** No JAVA_HOME, an old java first on PATH where there is one, the tests' own archive cache. */
    static void asFromAFreshShell(Map<String, String> env) {
        env.remove("JAVA_HOME");
        if (OLD_JAVA_HOME != null) {
            env.put("PATH", OLD_JAVA_HOME.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        }
        env.put("XDG_CACHE_HOME", CACHE.toAbsolutePath().toString());
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
