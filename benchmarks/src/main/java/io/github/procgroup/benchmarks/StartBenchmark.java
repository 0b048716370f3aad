package io.github.procgroup.benchmarks;

import com.zaxxer.nuprocess.NuProcess;
import io.github.procgroup.GroupProcessBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * How long {@code start()} of {@code /bin/true} keeps its caller: the part of a spawn+wait
 * ({@link SpawnBenchmark}) a caller waits for before it can do anything else. The child's exit,
 * its reap and the closes of its pipes happen after each call, in the untimed tear-down. The
 * libraries are those of {@link SpawnBenchmark}; the FFM floor stops where procgroup's
 * {@code start()} returns (its pidfd added to the epoll instance), the C floor's twin,
 * {@code floor start}, once posix_spawn has returned and the child's ends of the pipes are closed.
 *
 * <p>A tear-down per invocation costs JMH two time stamps a call, nothing beside a spawn's
 * hundred microseconds or more.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
@State(Scope.Thread)
public class StartBenchmark {
    private Process started;
    private NuProcess nuStarted;
    private FfmFloor.Started ffmStarted;

    /** Waits for the child the call started, reaps it and closes its pipes, untimed. */
    @TearDown(Level.Invocation)
    public void finishChild() throws Throwable {
        if (started != null) {
            started.waitFor();
            Children.closeStreams(started);
            started = null;
        }
        if (nuStarted != null) {
            nuStarted.waitFor(0, TimeUnit.SECONDS);
            nuStarted = null;
        }
        if (ffmStarted != null) {
            FfmFloor.finish(ffmStarted);
            ffmStarted = null;
        }
    }

    /** @return the child, so the work cannot be optimised away */
    @Benchmark
    public Process procgroup() throws IOException {
        started = new GroupProcessBuilder(Children.TRUE).start();
        return started;
    }

    /**
     * The FFM floor: the system calls of procgroup's {@code start()}, through the same downcall
     * shape, with no library code around them ({@link FfmFloor#start}).
     *
     * @return the child's pid
     */
    @Benchmark
    public int ffmFloor() throws Throwable {
        ffmStarted = FfmFloor.start();
        return ffmStarted.pid();
    }

    /** @return the child */
    @Benchmark
    public Process processBuilder() throws IOException {
        started = new ProcessBuilder(Children.TRUE).start();
        return started;
    }

    /** @return the child */
    @Benchmark
    public NuProcess nuProcess() {
        nuStarted = NuPeer.start(Children.TRUE);
        return nuStarted;
    }

    /**
     * ProcessBuilder in VFORK mode, in a JVM of its own (see {@link SpawnBenchmark#processBuilderVfork}).
     *
     * @return the child
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {Children.NATIVE_ACCESS, SpawnBenchmark.VFORK})
    public Process processBuilderVfork() throws IOException {
        started = new ProcessBuilder(Children.TRUE).start();
        return started;
    }
}
