package io.github.procgroup.benchmarks;

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
 * Kill latency: a {@code sleep 1000} is started before each invocation (not timed); the
 * invocation times SIGKILL plus the reap, that is until the library reports the exit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
public class KillBenchmark {

    /** A child started anew for every invocation by the library under test. */
    @State(Scope.Thread)
    public abstract static class Sleeper {
        Process process;

        /** Starts the sleep. */
        @Setup(Level.Invocation)
        public void start() throws IOException {
            process = spawn();
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

    /** A ProcessBuilder child. */
    public static class JdkSleeper extends Sleeper {
        @Override
        Process spawn() throws IOException {
            return new ProcessBuilder(Children.SLEEP).start();
        }
    }

    /** @return the exit status's shell code (137) */
    @Benchmark
    public int procgroup(GroupSleeper s) throws InterruptedException {
        GroupProcess p = (GroupProcess) s.process;
        p.destroyForcibly(); // SIGKILL to the group
        return p.awaitExit().shellCode();
    }

    /** @return the exit value (137) */
    @Benchmark
    public int processBuilder(JdkSleeper s) throws InterruptedException {
        s.process.destroyForcibly();
        return s.process.waitFor();
    }
}
