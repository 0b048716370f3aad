package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the file to exec exactly where the JDK's {@code ProcessImpl} finds it.
 *
 * <p>A program name with a slash is used as it is (relative to the child's directory, since
 * the child changes directory before it execs). A bare name is looked up in the <em>JVM's</em>
 * PATH, whatever the child's environment says: the JDK's childproc searches "the parent's
 * PATH, not the child's" when the environment was changed, and calls execvp, which reads the
 * same (inherited) PATH, when it was not. If the JVM has no PATH, {@code /bin:/usr/bin} (glibc's
 * execvp default; the JDK's own search then also tries the current directory first). An empty
 * or relative PATH entry is relative to the child's directory, as for the JDK, whose search
 * runs in the child after its chdir; the file found is returned as an absolute path. As in the
 * JDK, a candidate that exists but cannot be executed does not end the search; if nothing
 * executable is found, such a candidate makes the error EACCES instead of ENOENT.
 * Doing this in Java rather than with {@code posix_spawnp} lets the error name the program
 * and the PATH searched.
 */
final class ProgramLocator {
    private static final String DEFAULT_PATH = "/bin:/usr/bin";

    private ProgramLocator() {
    }

    /**
     * @param program     the program as the user named it
     * @param directory   the child's working directory, or null for the JVM's
     * @return the path to pass to posix_spawn
     * @throws ErrnoException ENOENT if no candidate exists, EACCES if candidates exist but none is executable
     */
    static String locate(String program, File directory) throws ErrnoException {
        if (program.indexOf('/') >= 0) {
            return program;
        }
        String searchPath = System.getenv("PATH"); // the JVM's, never the child's: as the JDK
        if (searchPath == null) {
            searchPath = DEFAULT_PATH;
        }
        boolean sawNonExecutable = false;
        for (String entry : searchPath.split(":", -1)) {
            Path dir = Path.of(entry.isEmpty() ? "." : entry);
            if (!dir.isAbsolute() && directory != null) {
                dir = directory.toPath().resolve(dir);
            }
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                // Absolute: the child changes directory before it execs, so a path relative to the
                // JVM's directory (a relative PATH entry or directory) would name another file there.
                return candidate.toAbsolutePath().toString();
            }
            if (Files.exists(candidate)) {
                sawNonExecutable = true; // execve would fail with EACCES (a directory, no x bit): the JDK goes on
            }
        }
        // Like execvp: EACCES if we found the program but may not run it, else ENOENT.
        int errno = sawNonExecutable ? LibC.EACCES() : LibC.ENOENT();
        throw Errno.exception("cannot run program \"" + program + "\" (searched PATH=" + searchPath + ")", errno);
    }
}
