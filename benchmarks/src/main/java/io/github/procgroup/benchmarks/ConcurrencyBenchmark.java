package io.github.procgroup.benchmarks;

import com.zaxxer.nuprocess.NuProcess;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.Signal;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * 1,000 live children: each iteration (one shot) starts {@value #CHILDREN} {@code sleep 1000}s and
 * records how many threads the JVM has beyond those it had before its first child (the kernel's
 * count, /proc/self/status). The score is the time to start them; the extra threads are an
 * auxiliary counter. The children are killed and reaped after each iteration (not timed).
 *
 * <p>Each child holds 3 pipe fds (procgroup also a pidfd), so 1,000 children need about 4,000
 * fds and 1,000 pids (ProcessBuilder: 1,000 more for its reaper threads), well within this
 * machine's {@code ulimit -n} of 20,000 and pid_max of 32,768.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
public class ConcurrencyBenchmark {
    static final int CHILDREN = 1000;

    /**
     * The JVM's threads beyond its count before the first child. JMH sums EVENTS counters over
     * the iterations, so the report divides {@code extraThreads} by {@code shots}.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Threads {
        /** Threads with all children alive, minus threads before any child was started. */
        public long extraThreads;
        /** Iterations measured (one shot each). */
        public long shots;
        int before = -1;

        /** Takes the count once, before this JVM has started any child. */
        @Setup(Level.Trial)
        public void countBefore() {
            before = ProcStat.ownThreads();
        }

        /** Counts from zero in every iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            extraThreads = 0;
            shots = 0;
        }

        void record() {
            extraThreads += ProcStat.ownThreads() - before;
            shots++;
        }
    }

    /** The children of one iteration, started by whichever library the benchmark measures. */
    @State(Scope.Thread)
    public static class LiveChildren {
        final List<Process> live = new ArrayList<>(CHILDREN);
        final List<NuProcess> liveNu = new ArrayList<>(CHILDREN);

        /** Kills and reaps every child. */
        @TearDown(Level.Iteration)
        public void killAll() throws InterruptedException {
            // Signal all first, then reap: faster than one by one. procgroup's destroyForcibly()
            // waits for its tree, so its children are signalled with signal(KILL) instead.
            live.forEach(p -> {
                if (p instanceof GroupProcess g) {
                    g.signal(Signal.KILL);
                } else {
                    p.destroyForcibly();
                }
            });
            for (Process p : live) {
                Children.finish(p);
            }
            live.clear();
            liveNu.forEach(p -> p.destroy(true));
            for (NuProcess p : liveNu) {
                p.waitFor(0, TimeUnit.SECONDS);
            }
            liveNu.clear();
        }
    }

    /** Starts one child. */
    @FunctionalInterface
    interface Starter {
        Process start() throws IOException;
    }

    private static int startAll(LiveChildren children, Threads threads, Starter starter) throws IOException {
        for (int i = 0; i < CHILDREN; i++) {
            children.live.add(starter.start());
        }
        threads.record();
        return children.live.size();
    }

    /** @return the number of live children */
    @Benchmark
    public int procgroup(LiveChildren children, Threads threads) throws IOException {
        GroupProcessBuilder builder = new GroupProcessBuilder(Children.SLEEP);
        return startAll(children, threads, builder::start);
    }

    /** @return the number of live children */
    @Benchmark
    public int nuProcess(LiveChildren children, Threads threads) {
        for (int i = 0; i < CHILDREN; i++) {
            children.liveNu.add(NuPeer.start(Children.SLEEP));
        }
        threads.record();
        return children.liveNu.size();
    }

    /** @return the number of live children */
    @Benchmark
    public int processBuilder(LiveChildren children, Threads threads) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Children.SLEEP);
        return startAll(children, threads, builder::start);
    }
}
