package io.github.procgroup.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a scenario class from the test class path, for what cannot happen in
 * the test JVM itself: being SIGKILLed, exiting, becoming a subreaper. Started with the JDK's
 * ProcessBuilder, so the test drives it with the JDK's own, independent machinery.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code mainClass} with {@code args}; its stderr goes to the test's. */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** @return the next line the scenario printed; fails if it ended first */
    public String readLine() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new AssertionError("the scenario JVM ended early, exit " + exitAfter(Duration.ofSeconds(5)));
        }
        return line;
    }

    /** @return the value of the next line that reads {@code key=value} (skipping other lines) */
    public String read(String key) throws IOException {
        while (true) {
            String line = readLine();
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1);
            }
        }
    }

    /** @return the JVM's pid */
    public long pid() {
        return process.pid();
    }

    /** SIGKILLs the JVM and reaps it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** @return the exit code, waiting at most {@code timeout} (-1 if it still ran; it is then killed) */
    public int exitAfter(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            kill();
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
