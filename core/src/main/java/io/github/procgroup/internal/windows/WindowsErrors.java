package io.github.procgroup.internal.windows;

import io.github.procgroup.WindowsErrorException;

import java.util.Map;

/** Windows error codes as exceptions that name them, as {@code Errno} does for errno. */
final class WindowsErrors {
    private static final Map<Integer, String> NAMES = Map.of(
            2, "ERROR_FILE_NOT_FOUND",
            3, "ERROR_PATH_NOT_FOUND",
            5, "ERROR_ACCESS_DENIED",
            6, "ERROR_INVALID_HANDLE",
            8, "ERROR_NOT_ENOUGH_MEMORY",
            87, "ERROR_INVALID_PARAMETER",
            109, "ERROR_BROKEN_PIPE",
            193, "ERROR_BAD_EXE_FORMAT",
            267, "ERROR_DIRECTORY");

    private WindowsErrors() {
    }

    /** @return the symbolic name of {@code error}, or {@code ERROR_<number>} */
    static String name(int error) {
        return NAMES.getOrDefault(error, "ERROR_" + error);
    }

    /** @return an exception for {@code what} that failed with {@code error} */
    static WindowsErrorException exception(String what, int error) {
        return new WindowsErrorException(what, error, name(error));
    }
}
