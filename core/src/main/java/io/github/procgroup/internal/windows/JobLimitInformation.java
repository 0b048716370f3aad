package io.github.procgroup.internal.windows;

import io.github.procgroup.Limits;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_LIMIT_INFORMATION;
import io.github.procgroup.bindings.windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION;
import io.github.procgroup.bindings.windows.Kernel32;
import io.github.procgroup.bindings.windows.LARGE_INTEGER;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The JOBOBJECT_EXTENDED_LIMIT_INFORMATION a new job gets: always
 * JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE (the tree dies when the last handle to the job closes, so
 * also when the JVM dies in any way), plus the user's {@link Limits}. Never BREAKAWAY_OK:
 * nothing in the tree may leave the job.
 */
final class JobLimitInformation {
    private static final long HUNDRED_NANOS_PER_NANO = 100;

    private JobLimitInformation() {
    }

    /** @return the filled structure, allocated in {@code arena} */
    static MemorySegment of(Arena arena, Limits limits) {
        if (limits.cpuCores() > 0 && !limits.bestEffort()) {
            // JOB_OBJECT_CPU_RATE_CONTROL exists, but procgroup does not set it (yet).
            throw new UnsupportedOperationException("a CPU share limit (Limits.withCpuCores) is not honoured on Windows; "
                    + "use Limits.withBestEffort(true) to skip it");
        }
        MemorySegment info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION.allocate(arena); // zeroed
        MemorySegment basic = JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation(info);
        int flags = Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE();
        if (limits.maxProcesses() > 0) {
            flags |= Kernel32.JOB_OBJECT_LIMIT_ACTIVE_PROCESS();
            JOBOBJECT_BASIC_LIMIT_INFORMATION.ActiveProcessLimit(basic, limits.maxProcesses());
        }
        if (limits.maxMemoryBytes() > 0) {
            flags |= Kernel32.JOB_OBJECT_LIMIT_JOB_MEMORY();
            JOBOBJECT_EXTENDED_LIMIT_INFORMATION.JobMemoryLimit(info, limits.maxMemoryBytes());
        }
        if (limits.processCpuTime().isPresent()) {
            flags |= Kernel32.JOB_OBJECT_LIMIT_PROCESS_TIME();
            // In 100-nanosecond ticks, as every Windows time span.
            LARGE_INTEGER.QuadPart(JOBOBJECT_BASIC_LIMIT_INFORMATION.PerProcessUserTimeLimit(basic),
                    limits.processCpuTime().get().toNanos() / HUNDRED_NANOS_PER_NANO);
        }
        JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags(basic, flags);
        return info;
    }
}
