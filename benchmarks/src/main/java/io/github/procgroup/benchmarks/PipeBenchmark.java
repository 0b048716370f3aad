package io.github.procgroup.benchmarks;

import io.github.procgroup.GroupProcessBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pipe throughput: each operation reads {@value #MEBIBYTES} MiB that {@code dd if=/dev/zero bs=1M}
 * writes to its stdout, then reaps it. The table turns operations per second into MiB/s. The C
 * floor's twin is {@code floor pipe}: read(2) into a 64 KiB buffer, the size used here.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
public class PipeBenchmark {
    /** MiB per operation. */
    static final int MEBIBYTES = 64;
    static final List<String> DD = List.of("dd", "if=/dev/zero", "bs=1M", "count=" + MEBIBYTES, "status=none");
    private static final long BYTES = (long) MEBIBYTES << 20;

    /** @return the bytes read */
    @Benchmark
    public long procgroup() throws IOException, InterruptedException {
        return readAll(new GroupProcessBuilder(DD).start());
    }

    /** @return the bytes read */
    @Benchmark
    public long processBuilder() throws IOException, InterruptedException {
        return readAll(new ProcessBuilder(DD).start());
    }

    /** @return the bytes read */
    @Benchmark
    public long nuProcess() throws InterruptedException {
        return checked(NuPeer.readAll(DD));
    }

    private static long readAll(Process p) throws IOException, InterruptedException {
        byte[] buffer = new byte[65536];
        long total = 0;
        try (InputStream out = p.getInputStream()) {
            for (int n; (n = out.read(buffer)) >= 0; ) {
                total += n;
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("dd exited with " + p.exitValue());
        }
        Children.closeStreams(p);
        return checked(total);
    }

    private static long checked(long total) {
        if (total != BYTES) {
            throw new IllegalStateException("read " + total + " bytes, not " + BYTES);
        }
        return total;
    }
}
