package io.github.procgroup.benchmarks;

import com.zaxxer.nuprocess.NuProcess;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
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
import java.util.concurrent.TimeUnit;

/**
 * Kill latency: a {@code sleep 1000} is started before each invocation and waited for until it
 * has started up and sleeps in the kernel (not timed; {@link ProcStat#whenAsleep}, as the tree
 * kills' processes and the floor's sleep are): a kill of a sleep still starting up would time its
 * start-up racing the kill, and how far it got depends on how soon after the spawn each library
 * kills. The invocation times SIGKILL plus the reap, that is until the library reports the
 * exit. procgroup is measured three times: {@code destroyForcibly()} + {@code awaitExit()}; {@code close()} (which
 * also ends the tree and closes the pipes), where the sleep was the last process created, so that
 * its tree is known to be the sleep alone; and {@code close()} where another process was started
 * since, so that the tree is listed before the kill. The C floor's twin is {@code floor kill}:
 * kill + waitpid.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
public class KillBenchmark {
    private static final long SETTLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** A child started anew for every invocation by the library under test. */
    @State(Scope.Thread)
    public abstract static class Sleeper {
        Process process;

        /** Starts the sleep and waits until it sleeps. */
        @Setup(Level.Invocation)
        public void start() throws IOException {
            process = spawn();
            ProcStat.whenAsleep(process.pid(), "sleep", SETTLE_TIMEOUT_NANOS);
        }

        /** Reaps it if the benchmark did not, and closes the pipes. */
        @TearDown(Level.Invocation)
        public void stop() throws InterruptedException {
            Children.finish(process);
        }

        abstract Process spawn() throws IOException;
    }

    /** A procgroup child. */
    public static class GroupSleeper extends Sleeper {
        @Override
        Process spawn() throws IOException {
            return new GroupProcessBuilder(Children.SLEEP).start();
        }
    }

    /**
     * A procgroup child, and after it another {@code sleep} (untimed, kept until the invocation
     * ends, waited for until it sleeps so that it takes no CPU while the first is closed): the
     * first sleep is no longer the last task the host created, so {@code close()} cannot know its
     * tree is the sleep alone without listing it, as on a host where other processes and threads
     * start all the time.
     */
    public static class GroupSleeperThenAnother extends GroupSleeper {
        private GroupProcess another;

        @Override
        Process spawn() throws IOException {
            Process sleeper = super.spawn();
            another = new GroupProcessBuilder(Children.SLEEP).start();
            ProcStat.whenAsleep(another.pid(), "sleep", SETTLE_TIMEOUT_NANOS);
            return sleeper;
        }

        /** Ends the other sleep. */
        @TearDown(Level.Invocation)
        public void stopAnother() {
            another.close();
        }
    }

    /** A ProcessBuilder child. */
    public static class JdkSleeper extends Sleeper {
        @Override
        Process spawn() throws IOException {
            return new ProcessBuilder(Children.SLEEP).start();
        }
    }

    /** A NuProcess child. */
    @State(Scope.Thread)
    public static class NuSleeper {
        NuProcess process;

        /** Starts the sleep and waits until it sleeps. */
        @Setup(Level.Invocation)
        public void start() {
            process = NuPeer.start(Children.SLEEP);
            ProcStat.whenAsleep(process.getPID(), "sleep", SETTLE_TIMEOUT_NANOS);
        }

        /** Kills and reaps it if the benchmark did not. */
        @TearDown(Level.Invocation)
        public void stop() throws InterruptedException {
            if (process.isRunning()) {
                NuPeer.kill(process);
            }
        }
    }

    /** @return the exit status's shell code (137) */
    @Benchmark
    public int procgroup(GroupSleeper s) throws InterruptedException {
        GroupProcess p = (GroupProcess) s.process;
        p.destroyForcibly(); // SIGKILL to the group
        return p.awaitExit().shellCode();
    }

    /** @return the exit status's shell code (137) */
    @Benchmark
    public int procgroupClose(GroupSleeper s) {
        GroupProcess p = (GroupProcess) s.process;
        p.close(); // SIGKILL to the tree, the leader's reap, the tree gone, the pipes closed
        return p.exitValue();
    }

    /** @return the exit status's shell code (137) */
    @Benchmark
    public int procgroupCloseAfterAnother(GroupSleeperThenAnother s) {
        GroupProcess p = (GroupProcess) s.process;
        p.close(); // as procgroupClose, the tree listed before the kill
        return p.exitValue();
    }

    /** @return the exit code NuProcess reports (137) */
    @Benchmark
    public int nuProcess(NuSleeper s) throws InterruptedException {
        return NuPeer.kill(s.process);
    }

    /** @return the exit value (137) */
    @Benchmark
    public int processBuilder(JdkSleeper s) throws InterruptedException {
        s.process.destroyForcibly();
        return s.process.waitFor();
    }
}
