package io.github.procgroup;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Resource limits for a whole tree (see {@link GroupProcessBuilder#limits(Limits)}), in one
 * vocabulary for both platforms. Each is off unless set. Which knob each platform honours:
 *
 * <table>
 * <caption>Limits by platform</caption>
 * <tr><th>knob</th><th>Linux (cgroup v2, needs {@link Containment#CGROUP})</th><th>Windows (Job Object)</th></tr>
 * <tr><td>{@link #maxProcesses()}</td><td>{@code pids.max}: counts tasks, threads included; a
 *     fork or clone beyond it fails with EAGAIN</td><td>active process limit; a process creation
 *     beyond it fails</td></tr>
 * <tr><td>{@link #maxMemoryBytes()}</td><td>{@code memory.max}: the tree's memory, page cache
 *     included; over it the kernel reclaims, then the OOM killer kills in the tree</td><td>job
 *     memory limit: the tree's committed memory; an allocation beyond it fails</td></tr>
 * <tr><td>{@link #cpuCores()}</td><td>{@code cpu.max}: the tree gets at most this fraction of
 *     one core's time per period (2.0: two cores)</td><td>not honoured</td></tr>
 * <tr><td>{@link #processCpuTime()}</td><td>not honoured</td><td>per-process user CPU time; a
 *     process over it is terminated</td></tr>
 * </table>
 *
 * <p>A limit the host cannot enforce (a knob the platform does not honour, or on Linux a
 * controller not enabled in the parent cgroup's {@code cgroup.subtree_control}) makes
 * {@link GroupProcessBuilder#start()} fail with an exception naming it, unless
 * {@link #bestEffort()} is set: then it is skipped with one {@link System.Logger} message.
 *
 * @param maxProcesses   at most this many processes (Linux: tasks) in the tree at once (0: no limit)
 * @param maxMemoryBytes at most this much memory for the whole tree (0: no limit)
 * @param cpuCores       at most this many cores' worth of CPU time for the tree (0: no limit)
 * @param processCpuTime at most this much user-mode CPU time per process (empty: no limit)
 * @param bestEffort     whether a limit the host cannot enforce is skipped instead of failing start()
 */
public record Limits(int maxProcesses, long maxMemoryBytes, double cpuCores, Optional<Duration> processCpuTime,
                     boolean bestEffort) {
    /** No limit at all. */
    public static final Limits NONE = new Limits(0, 0, 0, Optional.empty(), false);

    /** Checks the values. */
    public Limits {
        if (maxProcesses < 0 || maxMemoryBytes < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxProcesses + ", " + maxMemoryBytes);
        }
        if (!(cpuCores >= 0) || Double.isInfinite(cpuCores)) {
            throw new IllegalArgumentException("CPU limit must be a finite number of cores >= 0: " + cpuCores);
        }
        Objects.requireNonNull(processCpuTime, "processCpuTime");
        if (processCpuTime.isPresent() && (processCpuTime.get().isNegative() || processCpuTime.get().isZero())) {
            throw new IllegalArgumentException("CPU time limit must be positive: " + processCpuTime.get());
        }
    }

    /**
     * Returns a copy with that limit.
     *
     * @param count at most this many processes at once
     * @return a copy with that limit
     */
    public Limits withMaxProcesses(int count) {
        return new Limits(count, maxMemoryBytes, cpuCores, processCpuTime, bestEffort);
    }

    /**
     * Returns a copy with that limit.
     *
     * @param bytes at most this much memory for the tree
     * @return a copy with that limit
     */
    public Limits withMaxMemory(long bytes) {
        return new Limits(maxProcesses, bytes, cpuCores, processCpuTime, bestEffort);
    }

    /**
     * Returns a copy with that limit.
     *
     * @param cores at most this many cores' worth of CPU time (0.5: half of one)
     * @return a copy with that limit
     */
    public Limits withCpuCores(double cores) {
        return new Limits(maxProcesses, maxMemoryBytes, cores, processCpuTime, bestEffort);
    }

    /**
     * Returns a copy with that limit.
     *
     * @param cpuTime at most this much user CPU time per process
     * @return a copy with that limit
     */
    public Limits withProcessCpuTime(Duration cpuTime) {
        return new Limits(maxProcesses, maxMemoryBytes, cpuCores, Optional.of(cpuTime), bestEffort);
    }

    /**
     * Returns a copy.
     *
     * @param skip whether limits the host cannot enforce are skipped (logged) instead of failing
     * @return a copy
     */
    public Limits withBestEffort(boolean skip) {
        return new Limits(maxProcesses, maxMemoryBytes, cpuCores, processCpuTime, skip);
    }

    /**
     * Tells whether any knob is set.
     *
     * @return whether any limit is set
     */
    public boolean any() {
        return maxProcesses > 0 || maxMemoryBytes > 0 || cpuCores > 0 || processCpuTime.isPresent();
    }
}
