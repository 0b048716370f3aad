package io.github.procgroup.internal.linux;

import io.github.procgroup.ResourceUsage;
import io.github.procgroup.bindings.linux.rusage;
import io.github.procgroup.bindings.linux.timeval;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/** Decodes the {@code struct rusage} that wait4 fills in. */
final class ResourceUsages {
    private static final int KIB = 1024;
    private static final long NANOS_PER_MICRO = 1000L;

    private ResourceUsages() {
    }

    static ResourceUsage decode(MemorySegment resources) {
        return new ResourceUsage(
                toDuration(rusage.ru_utime(resources)),
                toDuration(rusage.ru_stime(resources)),
                rusage.ru_maxrss(resources) * KIB); // Linux reports ru_maxrss in KiB
    }

    private static Duration toDuration(MemorySegment tv) {
        return Duration.ofSeconds(timeval.tv_sec(tv), timeval.tv_usec(tv) * NANOS_PER_MICRO);
    }
}
