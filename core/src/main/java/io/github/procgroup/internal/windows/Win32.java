package io.github.procgroup.internal.windows;

import java.lang.foreign.MemorySegment;

/**
 * The kernel32 calls the Windows backend makes, one method each, so that the order of calls can
 * be checked on Linux with a recording implementation. {@link Kernel32Calls} makes them for real.
 * Methods that return {@code boolean} report the call's BOOL; after a failure {@link #lastError()}
 * is the error the call left (captured right after it, as the JVM may change it later).
 */
interface Win32 {
    /** CreateJobObjectW(NULL, NULL). @return the job, or NULL */
    MemorySegment createJobObject();

    /** SetInformationJobObject. */
    boolean setInformationJobObject(MemorySegment job, int infoClass, MemorySegment info);

    /** QueryInformationJobObject. */
    boolean queryInformationJobObject(MemorySegment job, int infoClass, MemorySegment info);

    /** CreatePipe: both handles into {@code handles} (read end, write end), inheritable. */
    boolean createPipe(MemorySegment handles, MemorySegment securityAttributes);

    /** SetHandleInformation(handle, HANDLE_FLAG_INHERIT, inherit ? HANDLE_FLAG_INHERIT : 0). */
    boolean setInheritable(MemorySegment handle, boolean inherit);

    /** InitializeProcThreadAttributeList; {@code size} is in and out. */
    boolean initializeProcThreadAttributeList(MemorySegment list, int count, MemorySegment size);

    /** UpdateProcThreadAttribute(list, 0, attribute, value, value's size, NULL, NULL). */
    boolean updateProcThreadAttribute(MemorySegment list, long attribute, MemorySegment value);

    /** DeleteProcThreadAttributeList. */
    void deleteProcThreadAttributeList(MemorySegment list);

    /** CreateProcessW(NULL, commandLine, NULL, NULL, TRUE, flags, environment, directory, startupInfo, processInfo). */
    boolean createProcess(MemorySegment commandLine, int flags, MemorySegment environment, MemorySegment directory,
                          MemorySegment startupInfo, MemorySegment processInfo);

    /** AssignProcessToJobObject. */
    boolean assignProcessToJobObject(MemorySegment job, MemorySegment process);

    /** ResumeThread. @return the previous suspend count, or -1 */
    int resumeThread(MemorySegment thread);

    /** WaitForSingleObject. @return WAIT_OBJECT_0, WAIT_TIMEOUT or WAIT_FAILED */
    int waitForSingleObject(MemorySegment handle, int millis);

    /** GetExitCodeProcess into the DWORD {@code code}. */
    boolean getExitCodeProcess(MemorySegment process, MemorySegment code);

    /** TerminateJobObject. */
    boolean terminateJobObject(MemorySegment job, int exitCode);

    /** GenerateConsoleCtrlEvent. */
    boolean generateConsoleCtrlEvent(int event, int processGroupId);

    /** ReadFile without OVERLAPPED; {@code done} receives the bytes read. */
    boolean readFile(MemorySegment handle, MemorySegment buffer, int length, MemorySegment done);

    /** WriteFile without OVERLAPPED; {@code done} receives the bytes written. */
    boolean writeFile(MemorySegment handle, MemorySegment buffer, int length, MemorySegment done);

    /** CloseHandle. */
    boolean closeHandle(MemorySegment handle);

    /** @return the last error of this thread's latest failed call through this interface */
    int lastError();
}
