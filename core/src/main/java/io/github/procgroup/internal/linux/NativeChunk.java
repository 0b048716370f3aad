package io.github.procgroup.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The native memory one pipe stream reads into or writes from, grown on demand to the size of the
 * largest transfer asked for, up to {@link #MAX_SIZE}.
 *
 * <p>The cap is a default pipe's capacity (64 KiB): one read(2) then takes all a full pipe holds,
 * and one write(2) can fill an empty one, as the JDK's own streams do (its FileInputStream reads a
 * large array in one call). A smaller cap costs a system call, and a wakeup of the process at the
 * other end, per cap: a quarter of the pipe cost four times as many, and about twice the JVM's CPU
 * of the JDK's streams for the same bytes. Streams read a byte at a time, or through small arrays,
 * keep a small buffer. Freed with the stream, by the GC.
 */
final class NativeChunk {
    /** A default pipe's capacity on Linux (16 pages). */
    static final int MAX_SIZE = 65536;
    private static final int MIN_SIZE = 8192;

    private MemorySegment segment; // used by one thread at a time: its stream's lock

    /** @return native memory of {@code min(wanted, MAX_SIZE)} bytes at least (and 1 at least) */
    MemorySegment atLeast(int wanted) {
        int size = Math.min(Math.max(wanted, 1), MAX_SIZE);
        if (segment == null || segment.byteSize() < size) {
            segment = Arena.ofAuto().allocate(Math.max(size, MIN_SIZE));
        }
        return segment.asSlice(0, size);
    }
}
