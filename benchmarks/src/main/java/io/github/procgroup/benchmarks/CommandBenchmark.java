package io.github.procgroup.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The whole command's wall time, one run per shot: {@code procgroup -- /bin/true} as a user runs
 * it, through the {@code bin/procgroup} launcher where there is one (its start-up cache made
 * before the first shot, in a cache directory of the benchmark's own), the same with the cache
 * off ({@code PROCGROUP_CACHE=off}), and the shaded jar run bare ({@code java -jar procgroup.jar},
 * no launcher options). Baselines from the same run: a JVM hello world (the floor of any Java
 * command), its ProcessBuilder twin, a JVM that runs {@code /bin/true} with ProcessBuilder and
 * exits, and the C floor, GNU {@code timeout 10 /bin/true}. Every command is started the same way
 * (ProcessBuilder, output discarded), so that cost is in all.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
@State(Scope.Benchmark)
public class CommandBenchmark {
    /** Where the cli module puts the jar, and where the core module used to. */
    static final List<Path> JARS = List.of(Path.of("cli", "target", "procgroup.jar"), Path.of("core", "target", "procgroup.jar"));
    static final Path LAUNCHER = Path.of("bin", "procgroup");
    /** The launcher's cache directory during the benchmark ({@code XDG_CACHE_HOME}), not the user's. */
    static final Path CACHE_HOME = Path.of("benchmarks", "target", "launcher-cache");

    /** @return the shaded procgroup jar, relative to the repository root (the working directory) */
    static Optional<Path> jar() {
        return JARS.stream().filter(Files::isRegularFile).findFirst().map(Path::toAbsolutePath);
    }

    /** @return the launcher script, where the repository has one */
    static Optional<Path> launcher() {
        return Optional.of(LAUNCHER).filter(Files::isExecutable).map(Path::toAbsolutePath);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Before the launcher's first shot: one run, which makes its start-up cache if there is none
     * yet (the training run of a first use), so that every shot measures a user's later runs.
     *
     * @param benchmark which benchmark this trial is of
     */
    @Setup(Level.Trial)
    public void warmTheLaunchersCache(BenchmarkParams benchmark) throws IOException, InterruptedException {
        if (benchmark.getBenchmark().endsWith(".procgroupLauncher") && launcher().isPresent()) {
            procgroupLauncher();
        }
    }

    /** @return the exit code */
    @Benchmark
    public int procgroup() throws IOException, InterruptedException {
        Path jar = jar().orElseThrow(() -> new IllegalStateException("no procgroup jar at " + JARS + ": build it first"));
        return run(List.of(java(), "-jar", jar.toString(), "--", "/bin/true"));
    }

    /** @return the exit code */
    @Benchmark
    public int procgroupLauncher() throws IOException, InterruptedException {
        Path launcher = launcher().orElseThrow(() -> new IllegalStateException("no launcher at " + LAUNCHER));
        return run(List.of(launcher.toString(), "--", "/bin/true"));
    }

    /** @return the exit code */
    @Benchmark
    public int procgroupLauncherNoCache() throws IOException, InterruptedException {
        Path launcher = launcher().orElseThrow(() -> new IllegalStateException("no launcher at " + LAUNCHER));
        return run(List.of("env", "PROCGROUP_CACHE=off", launcher.toString(), "--", "/bin/true"));
    }

    /** @return the exit code */
    @Benchmark
    public int helloWorld() throws IOException, InterruptedException {
        return run(List.of(java(), "-cp", System.getProperty("java.class.path"), Hello.class.getName()));
    }

    /** @return the exit code */
    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return run(List.of(java(), "-cp", System.getProperty("java.class.path"), SpawnTrue.class.getName()));
    }

    /** @return the exit code */
    @Benchmark
    public int cFloor() throws IOException, InterruptedException {
        return run(List.of("timeout", "10", "/bin/true"));
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // The launcher finds its JDK through JAVA_HOME, as run.sh sets it.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("XDG_CACHE_HOME", CACHE_HOME.toAbsolutePath().toString());
        Process p = builder.start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(command + " exited with " + code);
        }
        return code;
    }

    /** A JVM hello world: what any Java command costs before it does anything. */
    public static final class Hello {
        private Hello() {
        }

        /**
         * @param args ignored
         */
        public static void main(String[] args) {
            System.out.println("hello, world");
        }
    }

    /** The ProcessBuilder twin of the command: a JVM that runs /bin/true and exits with its code. */
    public static final class SpawnTrue {
        private SpawnTrue() {
        }

        /**
         * @param args ignored
         */
        public static void main(String[] args) throws IOException, InterruptedException {
            System.exit(new ProcessBuilder(Children.TRUE).inheritIO().start().waitFor());
        }
    }
}
