package io.github.procgroup.internal.linux.cgroup;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.Errno;
import io.github.procgroup.internal.linux.Posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few file operations on cgroupfs whose errno matters (it is what tells EBUSY from EACCES
 * from EROFS), each a system call through {@link Posix}, which captures errno (the one downcall
 * shape: a first CGROUP spawn links nothing more). Reads go through java.nio: a cgroup file that
 * cannot be read means the cgroup is gone, whatever the errno.
 */
public final class CgroupFs {
    private static final int DIRECTORY_MODE = 0755;

    private CgroupFs() {
    }

    /** @return 0, or -errno */
    static int mkdir(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            return Posix.mkdir(arena.allocateFrom(dir.toString()), DIRECTORY_MODE);
        }
    }

    /** @return 0, or -errno (EBUSY while the cgroup has members or children, ENOENT if already gone) */
    static int rmdir(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            return Posix.rmdir(arena.allocateFrom(dir.toString()));
        }
    }

    /**
     * Writes {@code value} to a cgroup control file in one write(2), as the kernel wants it.
     *
     * @return 0, or -errno (the kernel's verdict on the value comes back from write, not open)
     */
    static int write(Path file, String value) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = Posix.open(arena.allocateFrom(file.toString()), LibC.O_WRONLY() | LibC.O_CLOEXEC(), 0);
            if (fd < 0) {
                return fd;
            }
            try {
                MemorySegment buffer = arena.allocateFrom(ValueLayout.JAVA_BYTE, value.getBytes(StandardCharsets.US_ASCII));
                long r = Posix.write(fd, buffer);
                return r >= 0 ? 0 : (int) r;
            } finally {
                Posix.close(fd);
            }
        }
    }

    /** As {@link #write}, throwing an exception naming the file, the value and the errno. */
    static void writeOrThrow(Path file, String value) throws ErrnoException {
        int r = write(file, value);
        if (r < 0) {
            throw Errno.exception("cannot write \"" + value.strip() + "\" to " + file, -r);
        }
    }

    /**
     * @return the file's content, or null if it cannot be read (the cgroup is gone)
     */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return null;
        }
    }

    /** @return the file's content; an unreadable file is a fault here (a parent's control file) */
    static String readOrThrow(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
