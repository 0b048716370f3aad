package io.github.procgroup.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Arrays of {@code struct pollfd} for poll(2), by field offsets. The offsets are those of the
 * generated {@code pollfd} layout (the same on x86_64 and aarch64; {@code StructOffsetsTest}
 * checks them), used here rather than jextract's accessor class: that class builds a var handle
 * for each of its fields at its first use, which cost a first spawn, where the drain of the
 * output pipes and the wait for the child poll, about 20 ms.
 */
final class PollFds {
    /** sizeof(struct pollfd). */
    static final long SIZE = 8;
    /** offsetof(struct pollfd, fd): an int. */
    static final long FD = 0;
    /** offsetof(struct pollfd, events): a short. */
    static final long EVENTS = 4;
    /** offsetof(struct pollfd, revents): a short. */
    static final long REVENTS = 6;
    /** The alignment of the struct (of its int). */
    static final long ALIGNMENT = 4;

    private PollFds() {
    }

    /** @return room for {@code count} entries, zeroed */
    static MemorySegment allocate(Arena arena, long count) {
        return arena.allocate(SIZE * count, ALIGNMENT);
    }

    /** Sets entry {@code index} to wait for {@code events} on {@code fd}, with no events returned yet. */
    static void set(MemorySegment fds, long index, int fd, int events) {
        long at = index * SIZE;
        fds.set(ValueLayout.JAVA_INT, at + FD, fd);
        fds.set(ValueLayout.JAVA_SHORT, at + EVENTS, (short) events);
        fds.set(ValueLayout.JAVA_SHORT, at + REVENTS, (short) 0);
    }

    /** @return the fd of entry {@code index} */
    static int fd(MemorySegment fds, long index) {
        return fds.get(ValueLayout.JAVA_INT, index * SIZE + FD);
    }

    /** Sets the fd of entry {@code index} (a negative one makes poll(2) skip the entry). */
    static void setFd(MemorySegment fds, long index, int fd) {
        fds.set(ValueLayout.JAVA_INT, index * SIZE + FD, fd);
    }

    /** Clears the events poll returned for entry {@code index}. */
    static void clearRevents(MemorySegment fds, long index) {
        fds.set(ValueLayout.JAVA_SHORT, index * SIZE + REVENTS, (short) 0);
    }

    /** @return the events poll returned for entry {@code index} */
    static short revents(MemorySegment fds, long index) {
        return fds.get(ValueLayout.JAVA_SHORT, index * SIZE + REVENTS);
    }
}
