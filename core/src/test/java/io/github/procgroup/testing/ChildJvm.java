package io.github.procgroup.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running a scenario class from the test class path, for what cannot happen in
 * the test JVM itself: being SIGKILLed, exiting, becoming a subreaper, running with other system
 * properties. Started with the JDK's ProcessBuilder, so the test drives it with the JDK's own,
 * independent machinery.
 *
 * <p>Nothing here blocks forever: a daemon thread reads the scenario's stdout into a queue, and
 * {@link #readLine()} waits at most {@link #LINE_TIMEOUT} for the next line, then fails naming
 * the scenario and kills its JVM.
 */
public final class ChildJvm implements AutoCloseable {
    /** How long a scenario may take to print its next line: a JVM start on a loaded machine, with room. */
    public static final Duration LINE_TIMEOUT = Duration.ofSeconds(30);
    /** What the reader thread queues when the scenario's stdout ends. */
    private static final Optional<String> END = Optional.empty();

    private final Process process;
    private final String scenario;
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process, String scenario) {
        this.process = process;
        this.scenario = scenario;
        Thread.ofPlatform().daemon().name("child-jvm-stdout-" + process.pid()).start(this::pump);
    }

    /** Starts {@code mainClass} with {@code args}; its stderr goes to the test's. */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        return start(List.of(), mainClass, args);
    }

    /** Starts {@code mainClass} with {@code args} in a JVM given {@code jvmOptions} (such as {@code -Dos.arch=...}). */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new ChildJvm(process, mainClass.getSimpleName() + " " + String.join(" ", args));
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(Optional.of(line));
            }
        } catch (IOException e) {
            // The stream broke (the JVM was killed while we read): the same as its end for a reader.
        } finally {
            lines.add(END);
        }
    }

    /**
     * @return the next line the scenario printed
     * @throws AssertionError if it ended first, or printed nothing for {@link #LINE_TIMEOUT}
     *                        (the JVM is then killed)
     */
    public String readLine() throws IOException {
        Optional<String> line;
        try {
            line = lines.poll(LINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for scenario " + scenario, e);
        }
        if (line == null) {
            destroyAndReap();
            throw new AssertionError("scenario " + scenario + " printed nothing for " + LINE_TIMEOUT.toSeconds() + " s");
        }
        if (line.isEmpty()) {
            lines.add(END); // every later call sees the end too
            throw new AssertionError("scenario " + scenario + " ended early, exit " + exitAfter(Duration.ofSeconds(5)));
        }
        return line.get();
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

    /** SIGKILLs the JVM and reaps it (the reap is bounded: a SIGKILLed process always ends). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(LINE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("scenario JVM " + pid() + " still runs " + LINE_TIMEOUT.toSeconds() + " s after SIGKILL");
        }
    }

    private void destroyAndReap() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
