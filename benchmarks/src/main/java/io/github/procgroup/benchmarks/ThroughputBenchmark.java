package io.github.procgroup.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Spawn + wait of {@code /bin/true} from two threads at once (one per core here): children per second. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
public class ThroughputBenchmark {

    /** @return the exit code */
    @Benchmark
    public int procgroup() throws IOException, InterruptedException {
        return Children.trueWithProcgroup();
    }

    /** @return the exit code */
    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return Children.trueWithProcessBuilder();
    }
}
