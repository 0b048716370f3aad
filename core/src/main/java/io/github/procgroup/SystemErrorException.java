package io.github.procgroup;

import java.io.IOException;

/**
 * A call into the operating system failed: the one exception to catch for that on every
 * platform. The message names what failed and on which value (a program, a path, a pid), and
 * the OS error by name and number. {@link ErrnoException} is the POSIX kind (an {@code errno}),
 * {@link WindowsErrorException} the Windows kind (a {@code GetLastError} code).
 *
 * <p>Bad values given to the builder are not OS errors: {@link GroupProcessBuilder#start()}
 * rejects them with {@link IllegalArgumentException} or a plain {@link IOException}, as the
 * JDK's {@code ProcessBuilder} does.
 */
public abstract sealed class SystemErrorException extends IOException permits ErrnoException, WindowsErrorException {
    private static final long serialVersionUID = 1L;

    /** The OS error number. */
    private final int errorNumber;
    /** The OS error's symbolic name. */
    private final String errorName;

    SystemErrorException(String message, int errorNumber, String errorName) {
        super(message);
        this.errorNumber = errorNumber;
        this.errorName = errorName;
    }

    /**
     * Returns the OS error number, for example 2 (ENOENT on Linux, ERROR_FILE_NOT_FOUND on Windows).
     *
     * @return the OS error number, for example 2 (ENOENT on Linux, ERROR_FILE_NOT_FOUND on Windows)
     */
    public int errorNumber() {
        return errorNumber;
    }

    /**
     * Returns the OS error's symbolic name, for example {@code ENOENT} or {@code ERROR_ACCESS_DENIED}.
     *
     * @return the OS error's symbolic name, for example {@code ENOENT} or {@code ERROR_ACCESS_DENIED}
     */
    public String errorName() {
        return errorName;
    }
}
