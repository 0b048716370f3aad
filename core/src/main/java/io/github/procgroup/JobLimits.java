package io.github.procgroup;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits a Windows Job Object puts on a whole tree, part of {@link WindowsOptions}. Each is off
 * unless set. Only the Windows backend reads them: on Linux they have no effect.
 *
 * @param activeProcesses   at most this many processes in the tree at once (0: no limit); a
 *                          process creation beyond it fails in the creating process
 * @param jobMemoryBytes    at most this much committed memory for the whole tree (0: no limit)
 * @param processCpuTime    at most this much user-mode CPU time per process; a process over it is
 *                          terminated (empty: no limit)
 */
public record JobLimits(int activeProcesses, long jobMemoryBytes, Optional<Duration> processCpuTime) {
    /** No limit at all. */
    public static final JobLimits NONE = new JobLimits(0, 0, Optional.empty());

    /** Checks the values. */
    public JobLimits {
        if (activeProcesses < 0 || jobMemoryBytes < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + activeProcesses + ", " + jobMemoryBytes);
        }
        Objects.requireNonNull(processCpuTime, "processCpuTime");
        processCpuTime.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("CPU time limit must be positive: " + d);
            }
        });
    }

    /**
     * Returns a copy that allows at most {@code count} processes at once.
     *
     * @param count at most this many processes at once
     * @return a copy with that limit
     */
    public JobLimits withActiveProcesses(int count) {
        return new JobLimits(count, jobMemoryBytes, processCpuTime);
    }

    /**
     * Returns a copy that allows the tree at most {@code bytes} of committed memory.
     *
     * @param bytes at most this much committed memory for the tree
     * @return a copy with that limit
     */
    public JobLimits withJobMemory(long bytes) {
        return new JobLimits(activeProcesses, bytes, processCpuTime);
    }

    /**
     * Returns a copy that allows each process at most {@code cpuTime} of user CPU time.
     *
     * @param cpuTime at most this much user CPU time per process
     * @return a copy with that limit
     */
    public JobLimits withProcessCpuTime(Duration cpuTime) {
        return new JobLimits(activeProcesses, jobMemoryBytes, Optional.of(cpuTime));
    }

    /**
     * Returns whether any limit is set.
     *
     * @return whether any limit is set
     */
    public boolean any() {
        return activeProcesses > 0 || jobMemoryBytes > 0 || processCpuTime.isPresent();
    }
}
