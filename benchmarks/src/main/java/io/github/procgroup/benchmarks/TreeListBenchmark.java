package io.github.procgroup.benchmarks;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.ProcessInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One listing of a small tree: {@code sh -c} with N (sleeps) background {@code sleep 1000}s that it waits
 * for (N+1 processes), started once per trial. procgroup's {@code tree()} against the JDK's
 * {@code descendants()} (which reads every process on the host). The C floor's twin is
 * {@code floor tree}: reading {@code /proc/PID/task/TID/children} and {@code /proc/PID/stat} from
 * the tree's own processes only, which is what a listing proportional to the tree costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
@State(Scope.Benchmark)
public class TreeListBenchmark {
    private static final long EXEC_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Background sleeps beside the shell: 9 makes a 10-process tree. */
    @Param({"9"})
    public int sleeps;

    private GroupProcess procgroupShell;
    private Process jdkShell;

    /** Starts one tree with each library and waits until every sleep runs. */
    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
        List<String> command = List.of("sh", "-c",
                "i=0; while [ $i -lt " + sleeps + " ]; do sleep 1000 </dev/null >/dev/null 2>&1 & echo $!; i=$((i+1)); done; wait");
        procgroupShell = new GroupProcessBuilder(command).start();
        awaitSleeps(procgroupShell);
        jdkShell = new ProcessBuilder(command).start();
        awaitSleeps(jdkShell);
        int listed = procgroupShell.tree().size();
        if (listed != sleeps + 1) {
            throw new IllegalStateException("tree() lists " + listed + " processes, not " + (sleeps + 1));
        }
    }

    private void awaitSleeps(Process shell) throws IOException, InterruptedException {
        BufferedReader pids = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
        for (int i = 0; i < sleeps; i++) {
            String line = pids.readLine();
            if (line == null || ProcStat.whenRunning(Long.parseLong(line.trim()), "sleep", EXEC_TIMEOUT_NANOS) == null) {
                throw new IllegalStateException("sleep " + i + " of the tree did not start");
            }
        }
    }

    /** Ends both trees. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (procgroupShell != null) {
            procgroupShell.close();
        }
        if (jdkShell != null) {
            jdkShell.descendants().forEach(ProcessHandle::destroyForcibly);
            Children.finish(jdkShell);
        }
    }

    /** @return the processes listed */
    @Benchmark
    public List<ProcessInfo> procgroup() {
        return procgroupShell.tree();
    }

    /** @return the processes listed (the shell's descendants, and the shell) */
    @Benchmark
    public long processBuilder() {
        return jdkShell.descendants().count() + (jdkShell.isAlive() ? 1 : 0);
    }
}
