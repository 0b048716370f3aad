package io.github.procgroup;

/**
 * A Windows API call failed. The message names the call and the value that caused it, and the
 * error code by its symbolic name (for example {@code ERROR_FILE_NOT_FOUND}) and number.
 */
public final class WindowsErrorException extends SystemErrorException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; the message adds the error's name and number.
     *
     * @param message   what failed and on what, for example {@code "cannot run program \"nope\""}
     * @param errorCode the {@code GetLastError} code
     * @param errorName its symbolic name, for example {@code ERROR_FILE_NOT_FOUND}
     */
    public WindowsErrorException(String message, int errorCode, String errorName) {
        super(message + ": " + errorName + " (Windows error " + errorCode + ")", errorCode, errorName);
    }
}
