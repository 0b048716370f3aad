package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fallback for C libraries without {@code posix_spawn_file_actions_addclosefrom_np}
 * (glibc before 2.34): a close action for every fd above 2 that is open without
 * O_CLOEXEC at spawn time. An fd another thread opens without O_CLOEXEC after the
 * listing can still leak into the child; one it closes meanwhile fails the spawn with EBADF.
 */
final class OpenFds {
    private static final LibC.fcntl FCNTL = LibC.fcntl.makeInvoker();

    private OpenFds() {
    }

    static void addCloseActions(MemorySegment actions) {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : entries) {
                fds.add(Integer.parseInt(entry.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/fd", e);
        }
        // Checked after the listing's own fd is closed, so that fd drops out here (F_GETFD fails).
        for (int fd : fds) {
            if (fd <= 2) {
                continue;
            }
            int flags = FCNTL.apply(fd, LibC.F_GETFD());
            if (flags >= 0 && (flags & LibC.FD_CLOEXEC()) == 0) {
                LibC.posix_spawn_file_actions_addclose(actions, fd);
            }
        }
    }
}
