package io.github.procgroup.benchmarks;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first tree kill in a fresh JVM: one shot per forked JVM, no warm-up, so the figure is the
 * first use of the code that lists, signals and waits for a tree, as a program meets it when it
 * ends its first tree (a test runner's first timeout, the command's first ^C). Before the shot,
 * untimed, the JVM has spawned and waited for one {@code /bin/true} with the same library (the
 * spawn's own first use is {@link ColdStartBenchmark}'s) and started {@link TreeKillBenchmark}'s
 * tree of {@value #SLEEPS} sleeps under a shell that waits, settled. The shot ends it:
 * procgroup's {@code close()} or {@code terminate(5 s)}, ProcessBuilder's {@code descendants()},
 * {@code destroyForcibly()} on each and on the shell, {@code waitFor()}. A sleep that survives the
 * shot fails the fork. Compare sets the number of forks; the score is the mean over forks.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 5, jvmArgsAppend = Children.NATIVE_ACCESS)
public class FirstCloseBenchmark {
    /** The tree's sleeps, as in TreeKillBenchmark's n=10 rows. */
    static final int SLEEPS = 10;

    /** One tree, started by the library under test after one spawn+wait of its own. */
    @State(Scope.Thread)
    public abstract static class Tree {
        final List<ProcStat.Identity> sleeps = new ArrayList<>();
        /** The shell, as the library under test returned it. */
        Process shellProcess;

        /** The spawn's first use, then the tree, settled; none of it timed. */
        @Setup(Level.Iteration)
        public void start() throws IOException, InterruptedException {
            Process first = start(Children.TRUE); // the spawn+wait of /bin/true, as Children's
            first.waitFor();
            Children.closeStreams(first);
            shellProcess = TreeKillBenchmark.startSettled(this::start, SLEEPS, true, sleeps);
        }

        /** Fails the fork if a sleep survived the shot (after killing it), and reaps the shell. */
        @TearDown(Level.Iteration)
        public void stop() throws InterruptedException {
            int survivors = TreeKillBenchmark.killSurvivors(sleeps);
            Children.finish(shellProcess);
            if (survivors > 0) {
                throw new IllegalStateException(survivors + " sleeps survived the tree kill");
            }
        }

        /** @return the process of {@code command}, started by the library under test */
        abstract Process start(List<String> command) throws IOException;
    }

    /** A tree started with procgroup: the shell leads a new process group. */
    public static class GroupTree extends Tree {
        @Override
        Process start(List<String> command) throws IOException {
            return new GroupProcessBuilder(command).start();
        }
    }

    /** A tree started with ProcessBuilder: the shell stays in the JVM's process group. */
    public static class JdkTree extends Tree {
        @Override
        Process start(List<String> command) throws IOException {
            return new ProcessBuilder(command).start();
        }
    }

    /** @return the shell's exit status's shell code */
    @Benchmark
    public int procgroupClose(GroupTree tree) {
        return TreeKillBenchmark.closeTree(tree.shellProcess);
    }

    /** @return the shell's exit status's shell code */
    @Benchmark
    public int procgroupTerminate(GroupTree tree) throws InterruptedException {
        return ((GroupProcess) tree.shellProcess).terminate(TreeKillBenchmark.TERMINATE_GRACE).shellCode();
    }

    /** @return the shell's exit value */
    @Benchmark
    public int processBuilder(JdkTree tree) throws InterruptedException {
        return TreeKillBenchmark.killDescendants(tree.shellProcess);
    }
}
