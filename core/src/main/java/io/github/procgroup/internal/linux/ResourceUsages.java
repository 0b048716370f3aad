package io.github.procgroup.internal.linux;

import io.github.procgroup.ResourceUsage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * Decodes the {@code struct rusage} that wait4 fills in, by field offsets. The offsets are those
 * of the generated {@code rusage} and {@code timeval} layouts (LP64 Linux, x86_64 and aarch64
 * alike; {@code StructOffsetsTest} checks them), used here rather than jextract's accessor
 * classes, which build a var handle for each field at their first use: a first reap's cost.
 */
final class ResourceUsages {
    /** sizeof(struct rusage). */
    static final long SIZE = 144;
    /** offsetof(struct rusage, ru_utime): a struct timeval. */
    static final long RU_UTIME = 0;
    /** offsetof(struct rusage, ru_stime): a struct timeval. */
    static final long RU_STIME = 16;
    /** offsetof(struct rusage, ru_maxrss): a long. */
    static final long RU_MAXRSS = 32;
    /** offsetof(struct timeval, tv_sec): a long (time_t). */
    static final long TV_SEC = 0;
    /** offsetof(struct timeval, tv_usec): a long (suseconds_t). */
    static final long TV_USEC = 8;
    /** The alignment of the struct (of its longs). */
    static final long ALIGNMENT = 8;

    private static final int KIB = 1024;
    private static final long NANOS_PER_MICRO = 1000L;

    private ResourceUsages() {
    }

    /** @return a zeroed {@code struct rusage} for wait4 */
    static MemorySegment allocate(Arena arena) {
        return arena.allocate(SIZE, ALIGNMENT);
    }

    static ResourceUsage decode(MemorySegment resources) {
        return new ResourceUsage(
                toDuration(resources, RU_UTIME),
                toDuration(resources, RU_STIME),
                resources.get(ValueLayout.JAVA_LONG, RU_MAXRSS) * KIB); // Linux reports ru_maxrss in KiB
    }

    private static Duration toDuration(MemorySegment resources, long timeval) {
        return Duration.ofSeconds(resources.get(ValueLayout.JAVA_LONG, timeval + TV_SEC),
                resources.get(ValueLayout.JAVA_LONG, timeval + TV_USEC) * NANOS_PER_MICRO);
    }
}
