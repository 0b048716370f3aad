package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the file to exec, as {@code execvp} would, but with the child's PATH.
 *
 * <p>A program name with a slash is used as it is (relative to the child's directory, since
 * the child changes directory before it execs). A bare name is looked up in the PATH of the
 * child's environment if the builder set one, else the JVM's, else {@code /bin:/usr/bin}; a
 * relative PATH entry is relative to the child's directory, as it would be for execvp in the
 * child, and the file found is returned as an absolute path.
 * Doing this in Java rather than with {@code posix_spawnp} lets the error name the program
 * and lets the child's PATH win, which glibc's {@code posix_spawnp} ignores.
 */
final class ProgramLocator {
    private static final String DEFAULT_PATH = "/bin:/usr/bin";

    private ProgramLocator() {
    }

    /**
     * @param program     the program as the user named it
     * @param environment the child's environment, or null for the JVM's
     * @param directory   the child's working directory, or null for the JVM's
     * @return the path to pass to posix_spawn
     * @throws ErrnoException ENOENT if no candidate exists, EACCES if candidates exist but none is executable
     */
    static String locate(String program, Map<String, String> environment, File directory) throws ErrnoException {
        if (program.indexOf('/') >= 0) {
            return program;
        }
        String searchPath = environment != null ? environment.get("PATH") : System.getenv("PATH");
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
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    // Absolute: the child changes directory before it execs, so a path relative to the
                    // JVM's directory (a relative PATH entry or directory) would name another file there.
                    return candidate.toAbsolutePath().toString();
                }
                sawNonExecutable = true;
            }
        }
        // Like execvp: EACCES if we found the program but may not run it, else ENOENT.
        int errno = sawNonExecutable ? LibC.EACCES() : LibC.ENOENT();
        throw Errno.exception("cannot run program \"" + program + "\" (searched PATH=" + searchPath + ")", errno);
    }
}
