package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;

import java.lang.foreign.MemorySegment;

/** Names and describes errno values, and turns them into {@link ErrnoException}s. */
public final class Errno {
    /** strerrorname_np is glibc 2.32+; probe it instead of failing on an older or another libc. */
    private static final MemorySegment STRERRORNAME_NP = Downcalls.symbol("strerrorname_np");
    private static final MemorySegment STRERROR = Downcalls.required("strerror");

    private Errno() {
    }

    /**
     * @param errno an errno value
     * @return its symbolic name, for example {@code ENOENT}, or {@code errno N} if the C library has none
     */
    public static String name(int errno) {
        if (Downcalls.exists(STRERRORNAME_NP)) {
            MemorySegment name = string(STRERRORNAME_NP, errno);
            if (!name.equals(MemorySegment.NULL)) {
                return name.reinterpret(Long.MAX_VALUE).getString(0);
            }
        }
        return "errno " + errno;
    }

    /**
     * @param errno an errno value
     * @return the C library's description, for example {@code No such file or directory}
     */
    public static String describe(int errno) {
        // strerror's buffer is static only for unknown values; known ones point at constant strings.
        return string(STRERROR, errno).reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** @return what {@code function}, a {@code char *f(int)}, returns for {@code errno} (linked at the first error) */
    private static MemorySegment string(MemorySegment function, int errno) {
        return MemorySegment.ofAddress(Downcalls.long1(function, errno));
    }

    /**
     * @param what  what failed and on which value
     * @param errno the errno value
     * @return an exception naming both
     */
    public static ErrnoException exception(String what, int errno) {
        return new ErrnoException(what, errno, name(errno), describe(errno));
    }
}
