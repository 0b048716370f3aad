package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What posix_spawn would have said about the program, said before a cgroup gate is spawned:
 * behind the gate, the program is exec'd by the gate's shell after {@code start()} has returned,
 * so a missing or non-executable program would only show as exit status 127 or 126.
 */
final class GatePrecheck {
    private GatePrecheck() {
    }

    /**
     * @param path      the file to exec (see {@link ProgramLocator}), relative to {@code directory} if not absolute
     * @param program   the program as the user named it
     * @param directory the child's working directory, or null
     * @throws ErrnoException ENOENT if the file is missing, EACCES if it is a directory or not executable
     */
    static void check(String path, String program, File directory) throws ErrnoException {
        Path file = directory == null ? Path.of(path) : directory.toPath().resolve(path);
        int errno = !Files.exists(file) ? LibC.ENOENT()
                : Files.isDirectory(file) || !Files.isExecutable(file) ? LibC.EACCES() : 0;
        if (errno != 0) {
            throw Errno.exception("cannot run program \"" + program + "\""
                    + (path.equals(program) ? "" : " (" + path + ")")
                    + (directory == null ? "" : " in directory \"" + directory + "\""), errno);
        }
    }
}
