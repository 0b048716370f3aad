package io.github.procgroup.internal.windows;

import java.lang.foreign.MemorySegment;

/**
 * The kernel32 calls that watch a job and end one of its processes, beside {@link Win32}'s
 * spawning calls; {@link Kernel32Calls} makes them for real, tests record them. Failures are
 * reported as in {@link Win32}: a false BOOL (or NULL), the error in {@link Win32#lastError()}.
 */
interface Win32Job {
    /** CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1): a new port, or NULL. */
    MemorySegment createIoCompletionPort();

    /**
     * GetQueuedCompletionStatus(port, message, key, overlapped, millis). For a job's port the
     * "bytes transferred" are the JOB_OBJECT_MSG_* message, the key is what the job was
     * associated with, the "overlapped" pointer the pid the message is about.
     *
     * @param message    a DWORD, set to the message
     * @param key        a ULONG_PTR, set to the completion key
     * @param overlapped a pointer, set to the message's pid
     * @return false on a timeout (WAIT_TIMEOUT in lastError) or a failure
     */
    boolean getQueuedCompletionStatus(MemorySegment port, MemorySegment message, MemorySegment key,
                                      MemorySegment overlapped, int millis);

    /** TerminateProcess: the one process, not its job. */
    boolean terminateProcess(MemorySegment process, int exitCode);
}
