package io.github.procgroup.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Spawn + wait of {@code /bin/true} from {@value #THREADS} threads at once: children per second.
 * The C floor's twin is {@code floor threads}: as many pthreads, each posix_spawn + waitpid in a loop.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(ThroughputBenchmark.THREADS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
public class ThroughputBenchmark {
    /** Spawning threads (more than cores: the question is whether spawns serialise on a lock). */
    static final int THREADS = 8;

    /** @return the exit code */
    @Benchmark
    public int procgroup() throws IOException, InterruptedException {
        return Children.trueWithProcgroup();
    }

    /** @return the exit code */
    @Benchmark
    public int nuProcess() throws InterruptedException {
        return NuPeer.trueWithNuProcess();
    }

    /** @return the exit code */
    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return Children.trueWithProcessBuilder();
    }
}
