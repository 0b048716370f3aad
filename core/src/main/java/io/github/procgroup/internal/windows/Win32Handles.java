package io.github.procgroup.internal.windows;

import java.lang.foreign.MemorySegment;

/**
 * The kernel32 calls that make a child's stdio handles for redirects other than pipes;
 * {@link Kernel32Calls} makes them for real. Failures as in {@link Win32}.
 */
interface Win32Handles {
    /**
     * CreateFileW(path, access, share, security, disposition, FILE_ATTRIBUTE_NORMAL, NULL).
     *
     * @return the handle, or INVALID_HANDLE_VALUE
     */
    MemorySegment createFile(MemorySegment path, int access, int share, MemorySegment security, int disposition);

    /** GetStdHandle. @return the JVM's standard handle, NULL if it has none, or INVALID_HANDLE_VALUE */
    MemorySegment getStdHandle(int which);

    /**
     * DuplicateHandle(GetCurrentProcess(), handle, GetCurrentProcess(), duplicate, 0, TRUE,
     * DUPLICATE_SAME_ACCESS): an inheritable copy, so the JVM's own handle stays as it is.
     */
    boolean duplicateInheritable(MemorySegment handle, MemorySegment duplicate);
}
