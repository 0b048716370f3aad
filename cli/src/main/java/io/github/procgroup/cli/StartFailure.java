package io.github.procgroup.cli;

import io.github.procgroup.ErrnoException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * A command that could not be started, reported as GNU timeout does: one line,
 * {@code procgroup: failed to run command 'x': No such file or directory}, and status 127 when it
 * does not exist, 126 when it exists but cannot be run, 125 when procgroup itself failed.
 */
final class StartFailure {
    /** The C library's words for the errors execve and the program lookup report. */
    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry("ENOENT", "No such file or directory"),
            Map.entry("EACCES", "Permission denied"),
            Map.entry("ENOTDIR", "Not a directory"),
            Map.entry("ENOEXEC", "Exec format error"),
            Map.entry("ELOOP", "Too many levels of symbolic links"),
            Map.entry("ENAMETOOLONG", "File name too long"),
            Map.entry("E2BIG", "Argument list too long"),
            Map.entry("ETXTBSY", "Text file busy"),
            Map.entry("EISDIR", "Is a directory"),
            Map.entry("EPERM", "Operation not permitted"),
            Map.entry("ENOMEM", "Cannot allocate memory"));

    private StartFailure() {
    }

    /**
     * @param program the program as the user named it
     * @param e       why it did not start
     * @param err     where the one line goes
     * @return the exit status
     */
    static int report(String program, IOException e, PrintStream err) {
        if (!(e instanceof ErrnoException errno)) {
            err.println("procgroup: failed to run command '" + program + "': " + e.getMessage());
            return Run.FAILED;
        }
        err.println("procgroup: failed to run command '" + program + "': "
                + TEXTS.getOrDefault(errno.errnoName(), errno.errnoName()));
        // GNU timeout and POSIX shells: 127 only for a program that does not exist.
        return errno.errnoName().equals("ENOENT") ? Run.NOT_FOUND : Run.CANNOT_EXECUTE;
    }
}
