package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether any process was created in this JVM's pid namespace between two moments: the
 * namespace's pid cursor, which {@code /proc/loadavg} shows as its last field (the last pid
 * handed out in the reader's namespace).
 *
 * <p>Why an unchanged cursor proves that no process (nor thread) was created: every new task gets
 * a number in its own pid namespace and in each one above it, ours included when it is created in
 * ours or in one nested in it, and each number comes from {@code idr_alloc_cyclic}, which moves
 * the cursor past it. A creation that fails later still moved it (so the answer errs towards
 * "created"). Numbers run up to pid_max and then start again low, so the cursor could only read
 * the same again after a whole round of the pid space; {@link #MAX_WINDOW_NANOS} bounds the window
 * so that such a round would take more forks than Linux makes in that time (the bound
 * {@link TreeGroup#SLACK_TICKS} rests on too). What is left: privileged checkpoint/restore
 * tools can create a process with a number of their choice ({@code clone3} with {@code set_tid})
 * or set the cursor back (a write to {@code /proc/sys/kernel/ns_last_pid}), both needing
 * CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN over the namespace.
 */
final class PidCursor {
    /** {@link #read()}'s answer when the cursor cannot be read (no /proc/loadavg, an odd format). */
    static final long UNKNOWN = -1;
    /** The longest window an unchanged cursor vouches for: 30 ms, as for {@link TreeGroup#SLACK_TICKS}. */
    static final long MAX_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    private static final String PATH = "/proc/loadavg";
    /** {@code heldFd} before the first read, and again after an open failed (EMFILE): tried at the next read. */
    private static final int NOT_OPEN = -1;
    /** {@code heldFd} once a read of the held fd failed: every read opens the file from then on. */
    private static final int GIVEN_UP = -2;
    /** Room for the file: five fields, each at most 20 digits with its separators. */
    private static final int TEXT_ROOM = 128;

    /**
     * /proc/loadavg, held open for the JVM's life (close-on-exec, and a child never has it: the
     * spawn closes every fd above 2 in the child) and read again from its start with pread: one
     * system call where a new open, read and close cost about four times as much (the open walks
     * the path and makes a file each time, the close frees it). The file is a seq_file, whose text
     * is made at the read, from the start again at a read from offset 0: each read is as fresh as
     * a new open's. pread moves no file position: should code outside procgroup close this fd and
     * its number come to name another file, a read disturbs nothing there (a pipe or socket refuses
     * it with ESPIPE), and the text's shape ({@link #isLoadavg}) tells it apart. The lock guards
     * the fd's state and the buffer.
     */
    private static final Object LOCK = new Object();
    private static int heldFd = NOT_OPEN; // guarded by LOCK
    private static MemorySegment text; // guarded by LOCK; allocated at the first open

    private PidCursor() {
    }

    /** @return the last pid handed out in this JVM's pid namespace, or {@link #UNKNOWN} */
    static long read() {
        synchronized (LOCK) {
            if (heldFd == NOT_OPEN) {
                open();
            }
            if (heldFd >= 0) {
                long cursor = readHeld();
                if (cursor != UNKNOWN) {
                    return cursor;
                }
                // Not closed: if the read failed because code outside procgroup closed this fd, its
                // number may be another file's now, and closing it would close that file.
                heldFd = GIVEN_UP;
            }
        }
        byte[] once;
        try {
            once = ProcFile.read(PATH);
        } catch (IOException e) {
            return UNKNOWN; // EMFILE, say: callers then take the way that needs no such proof
        }
        return once == null || !isLoadavg(once) ? UNKNOWN : lastField(once);
    }

    /**
     * Test seam: after the held fd was given up (a test closed it and gave its number to another
     * file, which the test closes), the next reading opens the file anew.
     */
    static void retryAfterGivingUp() {
        synchronized (LOCK) {
            if (heldFd == GIVEN_UP) {
                heldFd = NOT_OPEN;
            }
        }
    }

    /** Opens the file to hold; at the fd limit it stays {@link #NOT_OPEN}, to be tried again. */
    private static void open() {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Posix.open(arena.allocateFrom(PATH, StandardCharsets.ISO_8859_1), LibC.O_RDONLY() | LibC.O_CLOEXEC(), 0);
        }
        if (fd >= 0) {
            if (text == null) {
                text = Arena.global().allocate(TEXT_ROOM); // once: a later open (after giving up) reuses it
            }
            heldFd = fd;
        } else if (fd != -LibC.EMFILE() && fd != -LibC.ENFILE()) {
            heldFd = GIVEN_UP; // ENOENT (no /proc, say): the open would fail each time
        }
    }

    /** @return the cursor read through the held fd, or {@link #UNKNOWN} if the read or its text was not as expected */
    private static long readHeld() {
        long n;
        do {
            n = Posix.pread(heldFd, text, 0);
        } while (n == -LibC.EINTR());
        if (n <= 0 || n >= TEXT_ROOM) {
            return UNKNOWN; // an error (EBADF: closed by someone else; ESPIPE), or more than loadavg ever has
        }
        byte[] read = new byte[(int) n];
        MemorySegment.copy(text, ValueLayout.JAVA_BYTE, 0, read, 0, read.length); // no heap segment, as toArray makes
        return isLoadavg(read) ? lastField(read) : UNKNOWN;
    }

    /**
     * @param cursor  what {@link #read()} returned at the first moment
     * @param readAt  the {@link System#nanoTime()} just before that read
     * @return whether the cursor reads the same now, within {@link #MAX_WINDOW_NANOS} of {@code readAt}:
     *         no process was created in the namespace in between
     */
    static boolean unchangedSince(long cursor, long readAt) {
        return cursor != UNKNOWN && System.nanoTime() - readAt <= MAX_WINDOW_NANOS
                && read() == cursor && System.nanoTime() - readAt <= MAX_WINDOW_NANOS;
    }

    /** {@link #isLoadavg}'s template: {@code #} is one or more decimal digits, anything else itself. */
    private static final String SHAPE = "#.# #.# #.# #/# #\n";

    /**
     * Checks that {@code text} is what /proc/loadavg shows ("0.31 0.09 0.03 1/123 4567\n": three
     * loads, running and all tasks, the last pid), so that a held fd that names some other file
     * now is never read as the cursor.
     */
    static boolean isLoadavg(byte[] text) {
        int i = 0;
        for (int k = 0; k < SHAPE.length(); k++) {
            char expected = SHAPE.charAt(k);
            if (expected == '#') {
                int digits = i;
                while (i < text.length && text[i] >= '0' && text[i] <= '9') {
                    i++;
                }
                if (i == digits) {
                    return false;
                }
            } else if (i >= text.length || text[i++] != expected) {
                return false;
            }
        }
        return i == text.length;
    }

    /** @return the decimal number that ends {@code text} ("0.31 0.09 0.03 1/123 4567\n"), or {@link #UNKNOWN} */
    static long lastField(byte[] text) {
        int end = text.length;
        while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == ' ')) {
            end--;
        }
        int start = end;
        while (start > 0 && text[start - 1] >= '0' && text[start - 1] <= '9') {
            start--;
        }
        if (start == end || end - start > 18 || (start > 0 && text[start - 1] != ' ')) {
            return UNKNOWN;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    }
}
