package io.github.procgroup.benchmarks;

import io.github.procgroup.Containment;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a cgroup of its own costs per child: spawn + wait + close of {@code /bin/true} with
 * procgroup in GROUP mode (a process group) and in CGROUP mode (mkdir of a leaf cgroup, the
 * child placed in it before it runs: clone3 on glibc 2.39+, the /bin/sh gate before, then the
 * populated-0 event and rmdir), each against ProcessBuilder from the same run. CGROUP over
 * GROUP is the ratio of the two procgroup rows. CGROUP fails (the row stays empty) where this
 * user cannot create a cgroup v2 in the JVM's cgroup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
@State(Scope.Benchmark)
public class CgroupSpawnBenchmark {
    /** The containment procgroup's child gets. */
    @Param({"GROUP", "CGROUP"})
    public String containment;

    private Containment level;

    /** Checks, once, that the level is really given (AUTO would hide a fallback). */
    @Setup
    public void setUp() throws IOException, InterruptedException {
        level = Containment.valueOf(containment);
        try (GroupProcess p = new GroupProcessBuilder(Children.TRUE).containment(level).start()) {
            if (p.containment() != level) {
                throw new IllegalStateException("asked for " + level + ", got " + p.containment());
            }
            p.waitFor();
        }
    }

    /**
     * @return why this user cannot start a child in a cgroup of its own here (no writable cgroup
     *         v2 in the JVM's cgroup, say), or empty if it can: what the CGROUP rows need
     */
    static Optional<String> whyNoCgroup() {
        try (GroupProcess p = new GroupProcessBuilder(Children.TRUE).containment(Containment.CGROUP).start()) {
            p.waitFor();
            return p.containment() == Containment.CGROUP ? Optional.empty()
                    : Optional.of("asked for CGROUP, got " + p.containment());
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** @return the exit code; close() returns once the leaf cgroup is removed */
    @Benchmark
    public int procgroup() throws IOException, InterruptedException {
        try (GroupProcess p = new GroupProcessBuilder(Children.TRUE).containment(level).start()) {
            return p.waitFor();
        }
    }

    /** @return the exit code */
    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        return Children.trueWithProcessBuilder();
    }
}
