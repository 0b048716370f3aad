package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/**
 * A few file descriptors held back for ending trees when the JVM has used up its fd limit
 * (EMFILE): listing /proc needs one for the directory and one per file read, and a signal to
 * one pid needs one for its pidfd. They are /dev/null opened at class load (O_CLOEXEC, so no
 * child inherits them), closed just before an operation that failed with EMFILE is retried, and
 * opened again after it. Another thread may take a released number first; the retry then fails
 * with EMFILE again and that error is reported, never taken for "process gone".
 */
final class FdReserve {
    private static final int SPARES = 4;
    private static final int[] FDS = new int[SPARES]; // guarded by FdReserve.class; -1 while released
    private static boolean released; // guarded by FdReserve.class

    static {
        openAll();
    }

    private FdReserve() {
    }

    /** Opens the spares now (class initialisation), while fds are still to be had. */
    static void reserve() {
        // Nothing more: loading this class opened them.
    }

    /** @return the result of {@code action}, run with the spare fds released */
    static synchronized <T> T withSpareFds(Supplier<T> action) {
        if (released) {
            return action.get(); // nested: already released by a caller up the stack
        }
        released = true;
        for (int i = 0; i < SPARES; i++) {
            if (FDS[i] >= 0) {
                Posix.close(FDS[i]);
                FDS[i] = -1;
            }
        }
        try {
            return action.get();
        } finally {
            openAll();
            released = false;
        }
    }

    private static void openAll() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devNull = arena.allocateFrom("/dev/null");
            for (int i = 0; i < SPARES; i++) {
                // -EMFILE if the numbers were taken meanwhile: fewer spares until the next release.
                int fd = Posix.open(devNull, LibC.O_RDONLY() | LibC.O_CLOEXEC(), 0);
                FDS[i] = Math.max(fd, -1);
            }
        }
    }

    /** @return whether {@code e} (or a cause) reports EMFILE or ENFILE, the fd limits */
    static boolean isFdLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("Too many open files"))) {
                return true;
            }
        }
        return false;
    }
}
