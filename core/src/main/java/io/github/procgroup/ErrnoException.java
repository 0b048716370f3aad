package io.github.procgroup;

/**
 * A POSIX system call failed. The message names the call, the symbolic errno (for example
 * {@code ENOENT}) and the value that caused it (a program, a path, a pid).
 */
public final class ErrnoException extends SystemErrorException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the message adds the error's name and number.
     *
     * @param message   what failed and on what, for example {@code "cannot run program \"nope\""}
     * @param errno     the errno value
     * @param errnoName the symbolic name, for example {@code ENOENT}
     * @param errnoText the C library's description of the errno
     */
    public ErrnoException(String message, int errno, String errnoName, String errnoText) {
        super(message + ": " + errnoName + " (" + errnoText + ")", errno, errnoName);
    }

    /**
     * Returns the errno value, for example 2.
     *
     * @return the errno value, for example 2
     */
    public int errno() {
        return errorNumber();
    }

    /**
     * Returns the symbolic errno name, for example {@code ENOENT}.
     *
     * @return the symbolic errno name, for example {@code ENOENT}
     */
    public String errnoName() {
        return errorName();
    }
}
