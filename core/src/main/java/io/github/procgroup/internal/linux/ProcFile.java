package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Reads one small /proc file with open, read and close, and nothing else: /proc files report
 * size 0, and {@code Files.readString} pays for a channel, an fstat, a growing buffer and a
 * cleaner on each, which is most of the cost of listing a tree.
 *
 * <p>A file that is not there (ENOENT) or whose process exited while it was read (ESRCH) is
 * "gone", {@code null}. EMFILE and ENFILE are thrown as an {@link IOException} whose message
 * says "Too many open files", so that {@link FdReserve#isFdLimit} recognises them; any other
 * error is thrown as well, never taken for "gone".
 */
final class ProcFile {
    private static final int CHUNK = 4096;
    /**
     * A read that returns fewer bytes than {@code CHUNK - END_MARGIN} has reached the end of the
     * file, so the read that would return 0 is not made. It holds for the three files read here:
     * {@code stat} is one record, made whole in one read; {@code task/TID/children} is a sequence
     * of records ("4194304 " at most) that the kernel's seq_file adds while the next one fits in
     * the caller's buffer (and its own page), so a read ends short by less than a record unless
     * the records ended; {@code cmdline} is copied until the buffer is full or the arguments end.
     */
    private static final int END_MARGIN = 64;
    /** Room for a path, NUL included: the longest read here is /proc/PID/task/TID/children (35 bytes). */
    private static final int PATH_ROOM = 128;

    /**
     * Each thread's scratch memory: the path, then the read buffer. A thread reads one file at a
     * time, so one allocation per thread replaces an arena, a path copy and a zeroed 4 KiB buffer
     * per file. Freed with its thread, by the GC.
     */
    private static final ThreadLocal<MemorySegment> SCRATCH = new ThreadLocal<>() {
        @Override
        protected MemorySegment initialValue() {
            return Arena.ofAuto().allocate(PATH_ROOM + CHUNK);
        }
    };

    private ProcFile() {
    }

    /** Loads the class (see {@link TreeWalk#load}). */
    static void load() {
        // Nothing to do: calling it loads and initialises the class.
    }

    /**
     * @param path an absolute path under /proc, ASCII, shorter than {@value #PATH_ROOM} bytes
     * @return the file's text (Latin-1: the files read here are ASCII, cmdline is decoded by its caller), or null if it is gone
     * @throws IOException for EMFILE, ENFILE and any other error but ENOENT and ESRCH
     */
    static byte[] read(String path) throws IOException {
        if (path.length() >= PATH_ROOM) {
            throw new IllegalArgumentException("path too long for ProcFile: " + path);
        }
        MemorySegment scratch = SCRATCH.get();
        // One bulk copy, NUL added: byte by byte, each set is a var-handle call, which costs more
        // than the open itself until the JIT has compiled this (a listing is often run cold).
        scratch.setString(0, path, StandardCharsets.ISO_8859_1);
        int fd = Posix.open(scratch, LibC.O_RDONLY() | LibC.O_CLOEXEC(), 0);
        if (fd < 0) {
            return gone(-fd, path);
        }
        try {
            MemorySegment buffer = scratch.asSlice(PATH_ROOM, CHUNK);
            byte[] text = new byte[0];
            while (true) {
                long n = Posix.read(fd, buffer);
                if (n == -LibC.EINTR()) {
                    continue;
                }
                if (n < 0) {
                    return gone((int) -n, path);
                }
                if (n == 0) {
                    return text;
                }
                byte[] more = new byte[text.length + (int) n];
                System.arraycopy(text, 0, more, 0, text.length);
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, more, text.length, (int) n);
                text = more;
                if (n < CHUNK - END_MARGIN) {
                    return text; // the end (see END_MARGIN)
                }
            }
        } finally {
            Posix.close(fd);
        }
    }

    /** @return {@link #read}'s bytes as text, or null if gone */
    static String readString(String path) throws IOException {
        byte[] raw = read(path);
        return raw == null ? null : new String(raw, StandardCharsets.ISO_8859_1);
    }

    private static byte[] gone(int errno, String path) throws IOException {
        if (errno == LibC.ENOENT() || errno == LibC.ESRCH()) {
            return null; // not there, or its process exited meanwhile
        }
        if (errno == LibC.EMFILE() || errno == LibC.ENFILE()) {
            // Named here, not through Errno: at the fd limit no class may be left to load (a class
            // loaded from a class-path directory needs an fd of its own).
            throw new IOException(path + ": Too many open files (" + (errno == LibC.EMFILE() ? "EMFILE" : "ENFILE") + ")");
        }
        throw new IOException(path + ": " + Errno.describe(errno) + " (" + Errno.name(errno) + ")");
    }
}
