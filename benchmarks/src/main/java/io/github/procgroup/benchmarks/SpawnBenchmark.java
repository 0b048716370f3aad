package io.github.procgroup.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Latency of spawn + wait of {@code /bin/true}: procgroup (posix_spawn, one exit watcher)
 * against ProcessBuilder's default (posix_spawn of jspawnhelper, which then execs the program)
 * and, in a JVM of its own, ProcessBuilder with {@code -Djdk.lang.Process.launchMechanism=VFORK},
 * and NuProcess 3.0.0; and the FFM floor, procgroup's system calls with bare FFM. The C floor's twin is {@code floor spawn}: posix_spawn with the same three
 * pipes and a process group of its own, then waitpid.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
public class SpawnBenchmark {
    /** The JVM-wide property the JDK reads once, when ProcessImpl is initialised. */
    static final String VFORK = "-Djdk.lang.Process.launchMechanism=VFORK";

    /** @return the exit code, so the work cannot be optimised away */
    @Benchmark
    public int procgroup() throws IOException, InterruptedException {
        return Children.trueWithProcgroup();
    }

    /**
     * The FFM floor: the system calls procgroup makes for a spawn+wait, through the same downcall
     * shape, with no library code around them ({@link FfmFloor}): what procgroup adds beyond it
     * is its own Java work.
     *
     * @return the exit code
     */
    @Benchmark
    public int ffmFloor() throws Throwable {
        return FfmFloor.trueOnce();
    }

    /** @return the exit code */
    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return Children.trueWithProcessBuilder();
    }

    /** @return the exit code */
    @Benchmark
    public int nuProcess() throws InterruptedException {
        return NuPeer.trueWithNuProcess();
    }

    /**
     * ProcessBuilder in VFORK mode (deprecated in JDK 25). A JDK that no longer accepts VFORK
     * throws {@link Error} from {@code ProcessImpl}'s initialiser: the benchmark then fails with
     * that message and the report says VFORK was rejected.
     *
     * @return the exit code
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {Children.NATIVE_ACCESS, VFORK})
    public int processBuilderVfork() throws IOException, InterruptedException {
        return Children.trueWithProcessBuilder();
    }
}
