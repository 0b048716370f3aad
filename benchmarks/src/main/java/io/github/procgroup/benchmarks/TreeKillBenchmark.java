package io.github.procgroup.benchmarks;

import io.github.procgroup.Containment;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.Signal;
import io.github.procgroup.GroupProcessBuilder;
import org.openjdk.jmh.annotations.AuxCounters;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Tree kill: {@code sh -c} starts N background {@code sleep 1000}s and prints their pids; before
 * each invocation (not timed) all N run and are asleep (state S), and so is the shell that
 * waits. The invocation kills the tree and reaps the shell:
 * procgroup with one SIGKILL to the group, ProcessBuilder with {@code descendants()} then
 * {@code destroyForcibly()} on each and on the shell, then {@code waitFor()}. procgroup is also
 * timed ending the tree with {@code close()} (SIGKILL, returning once the leader is reaped and
 * nothing of the tree runs) and with {@code terminate(5 s)} (SIGTERM, which {@code sh} and
 * {@code sleep} obey, then the same wait), and with {@code close()} and {@code terminate(5 s)} of
 * a tree started in a leaf cgroup of its own ({@code CGROUP} containment: {@code cgroup.kill} or a
 * signal to each member of {@code cgroup.procs}, then their pidfds and {@code cgroup.events}, no
 * listing). The C floor's twin is {@code floor treekill}: killpg plus waitpid of N+1 sleeps in one
 * group (the leader standing in for the shell); {@code floor killround} makes {@code close()}'s own
 * system calls in C, as a reference.
 *
 * <p>{@code shell=waits}: the shell waits for its sleeps, so the tree is intact when killed.
 * {@code shell=exits}: the shell exits once the sleeps are started (a daemonising script, or a
 * parent that crashed), so the sleeps are orphans re-parented to init.
 *
 * <p>After each invocation (not timed) the sleeps that still run are counted as survivors,
 * allowing {@link #GRACE_MILLIS} for SIGKILL to take effect, then killed so nothing leaks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = Children.NATIVE_ACCESS)
public class TreeKillBenchmark {
    /** How long a signalled sleep has to die before it counts as a survivor. */
    static final long GRACE_MILLIS = 200;
    /** Far longer than sh and sleep need to obey SIGTERM: terminate() never falls back to SIGKILL here. */
    static final Duration TERMINATE_GRACE = Duration.ofSeconds(5);
    private static final long EXEC_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Survivors and sleeps started per iteration: the report gives survivors per tree. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Survivors {
        /** Sleeps still running {@link #GRACE_MILLIS} after the kill, summed over the iteration. */
        public long survivors;
        /** Trees killed in the iteration. */
        public long trees;

        /** Counts from zero in every iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            survivors = 0;
            trees = 0;
        }
    }

    /** One tree: the shell and the identities of its N sleeps. */
    @State(Scope.Thread)
    public abstract static class Tree {
        /** Number of background sleeps. */
        @Param({"10", "100"})
        public int n;
        /** Whether the shell waits for its sleeps or exits at once. */
        @Param({"waits", "exits"})
        public String shell;
        /**
         * Who reaps the orphans: {@code host}, whatever the host has (on some, an init that reaps
         * a second or more late, whose zombies every listing of a tree reads past); {@code prompt},
         * a parent that reaps them at once, as systemd, tini or docker's {@code --init} do (the
         * JVM forked under the C floor's reaper, see {@link Floor#reapingJava}).
         */
        @Param({"host"})
        public String reaper;

        /** A {@code prompt} run must really be under the reaper: the label would lie otherwise. */
        @Setup(Level.Trial)
        public void checkReaper() {
            boolean underReaper = Floor.PROMPT.equals(System.getenv(Floor.REAPER_ENV));
            if (underReaper != Floor.PROMPT.equals(reaper)) {
                throw new IllegalStateException("reaper=" + reaper + " but " + Floor.REAPER_ENV + "="
                        + System.getenv(Floor.REAPER_ENV));
            }
        }

        final List<ProcStat.Identity> sleeps = new ArrayList<>();
        /** The shell, as the library under test returned it. */
        Process shellProcess;

        /** Starts the shell, reads the N pids it prints, and waits until every one runs sleep. */
        @Setup(Level.Invocation)
        public void start() throws IOException, InterruptedException {
            shellProcess = startSettled(this::start, n, "waits".equals(shell), sleeps);
        }

        /** Counts survivors, kills them, and reaps the shell if the benchmark did not. */
        @TearDown(Level.Invocation)
        public void stop(Survivors counts) throws InterruptedException {
            counts.survivors += killSurvivors(sleeps);
            counts.trees++;
            Children.finish(shellProcess);
        }

        /** @return the shell, started by the library under test */
        abstract Process start(List<String> command) throws IOException;
    }

    /** Starts a command with the library under test. */
    interface Starter {
        /** @return the process started */
        Process start(List<String> command) throws IOException;
    }

    /**
     * Starts the shell of a tree (N background sleeps, then a {@code wait} if {@code waits}), reads
     * the N pids it prints, and waits until the tree has settled, as the floor's has: each sleep
     * started up and asleep (state S), the shell asleep in its wait (or gone, its sleeps orphans).
     * A kill of processes still starting up would time their start-up racing the kill, which the
     * floor's sleeps, started one by one, mostly finish before theirs.
     *
     * @param sleeps filled with the identities of the N sleeps
     * @return the shell
     */
    static Process startSettled(Starter starter, int n, boolean waits, List<ProcStat.Identity> sleeps)
            throws IOException, InterruptedException {
        String script = "i=0; while [ $i -lt " + n + " ]; do sleep 1000 </dev/null >/dev/null 2>&1 & echo $!; i=$((i+1)); done"
                + (waits ? "; wait" : "");
        Process shell = starter.start(List.of("sh", "-c", script));
        sleeps.clear();
        BufferedReader pids = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
        for (int i = 0; i < n; i++) {
            String line = pids.readLine();
            if (line == null) {
                throw new IllegalStateException("the shell printed " + i + " pids, not " + n);
            }
            ProcStat.Identity sleep = ProcStat.whenRunning(Long.parseLong(line.trim()), "sleep", EXEC_TIMEOUT_NANOS);
            if (sleep == null) {
                throw new IllegalStateException("sleep " + line + " died before it was killed");
            }
            sleeps.add(sleep);
        }
        for (ProcStat.Identity sleep : sleeps) {
            ProcStat.whenAsleep(sleep.pid(), "sleep", EXEC_TIMEOUT_NANOS);
        }
        if (waits) {
            ProcStat.whenAsleep(shell.pid(), "sh", EXEC_TIMEOUT_NANOS);
        } else {
            shell.waitFor(); // the sleeps are orphans now
        }
        return shell;
    }

    /**
     * Waits up to {@link #GRACE_MILLIS} for {@code sleeps} to die, then kills the ones still
     * running (a running sleep 1000 still holds its pid, so the pid names it).
     *
     * @return how many still ran: survivors of the kill
     */
    static int killSurvivors(List<ProcStat.Identity> sleeps) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        while (sleeps.stream().anyMatch(ProcStat.Identity::isRunning) && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        int survivors = 0;
        for (ProcStat.Identity sleep : sleeps) {
            if (sleep.isRunning()) {
                survivors++;
                ProcessHandle.of(sleep.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        return survivors;
    }

    /** A tree started with procgroup: the shell leads a new process group. */
    public static class GroupTree extends Tree {
        @Override
        Process start(List<String> command) throws IOException {
            return new GroupProcessBuilder(command).start();
        }
    }

    /**
     * A tree started with procgroup in a leaf cgroup of its own ({@link Containment#CGROUP}): ended
     * by {@code cgroup.kill} (or a signal to each member) and awaited by the members' pidfds and
     * {@code cgroup.events}, with no listing. Fails (its rows stay empty) where this user cannot
     * create a cgroup v2 in the JVM's cgroup.
     */
    public static class CgroupTree extends Tree {
        @Override
        Process start(List<String> command) throws IOException {
            GroupProcess shell = new GroupProcessBuilder(command).containment(Containment.CGROUP).start();
            if (shell.containment() != Containment.CGROUP) {
                shell.close();
                throw new IllegalStateException("asked for CGROUP, got " + shell.containment());
            }
            return shell;
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
    public int procgroup(GroupTree tree) throws InterruptedException {
        GroupProcess shell = (GroupProcess) tree.shellProcess;
        // One killpg reaches the shell and every sleep; then the shell's reap, as the twin's waitFor().
        // (destroyForcibly() would also wait until every sleep is dead, which the twin cannot do.)
        shell.signal(Signal.KILL);
        return shell.awaitExit().shellCode();
    }

    /** @return the shell's exit status's shell code */
    @Benchmark
    public int procgroupClose(GroupTree tree) {
        return closeTree(tree.shellProcess);
    }

    /** @return the shell's exit status's shell code; close() returns once the leaf cgroup is removed */
    @Benchmark
    public int procgroupCloseCgroup(CgroupTree tree) {
        return closeTree(tree.shellProcess);
    }

    /** @return the shell's exit status's shell code */
    @Benchmark
    public int procgroupTerminate(GroupTree tree) throws InterruptedException {
        return ((GroupProcess) tree.shellProcess).terminate(TERMINATE_GRACE).shellCode();
    }

    /** @return the shell's exit status's shell code; terminate() returns once the leaf cgroup is removed */
    @Benchmark
    public int procgroupTerminateCgroup(CgroupTree tree) throws InterruptedException {
        return ((GroupProcess) tree.shellProcess).terminate(TERMINATE_GRACE).shellCode();
    }

    /** @return the shell's exit value */
    @Benchmark
    public int processBuilder(JdkTree tree) throws InterruptedException {
        return killDescendants(tree.shellProcess);
    }

    /** @return the shell's exit status's shell code, after procgroup's {@code close()} of its tree */
    static int closeTree(Process shellProcess) {
        GroupProcess shell = (GroupProcess) shellProcess;
        shell.close();
        return shell.exitValue();
    }

    /** @return the shell's exit value, after ProcessBuilder's way of ending a tree */
    static int killDescendants(Process shell) throws InterruptedException {
        // Snapshot first: once the shell dies its children are re-parented and out of reach.
        shell.descendants().forEach(ProcessHandle::destroyForcibly);
        shell.destroyForcibly();
        return shell.waitFor();
    }
}
