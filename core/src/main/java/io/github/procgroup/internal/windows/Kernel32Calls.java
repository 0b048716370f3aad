package io.github.procgroup.internal.windows;

import io.github.procgroup.bindings.windows.Kernel32;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@link Win32} through the generated kernel32 bindings. Every call that can fail is made through
 * a downcall handle with {@code captureCallState("GetLastError")}: a separate GetLastError call
 * afterwards could see an error the JVM itself left. Only usable on Windows (the Linux linker
 * has no GetLastError to capture); the backend loads kernel32 before the first call.
 */
final class Kernel32Calls implements Win32, Win32Job, Win32Handles {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final long LAST_ERROR = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("GetLastError"));
    private static final ThreadLocal<Integer> LAST = ThreadLocal.withInitial(() -> 0);

    static {
        System.loadLibrary("kernel32"); // so the bindings' loader lookup finds kernel32's functions
    }

    private static final MethodHandle CREATE_JOB = capturing(Kernel32.CreateJobObjectW$address(), Kernel32.CreateJobObjectW$descriptor());
    private static final MethodHandle SET_JOB = capturing(Kernel32.SetInformationJobObject$address(), Kernel32.SetInformationJobObject$descriptor());
    private static final MethodHandle QUERY_JOB = capturing(Kernel32.QueryInformationJobObject$address(), Kernel32.QueryInformationJobObject$descriptor());
    private static final MethodHandle CREATE_PIPE = capturing(Kernel32.CreatePipe$address(), Kernel32.CreatePipe$descriptor());
    private static final MethodHandle SET_HANDLE_INFO = capturing(Kernel32.SetHandleInformation$address(), Kernel32.SetHandleInformation$descriptor());
    private static final MethodHandle INIT_ATTRIBUTES = capturing(Kernel32.InitializeProcThreadAttributeList$address(), Kernel32.InitializeProcThreadAttributeList$descriptor());
    private static final MethodHandle UPDATE_ATTRIBUTE = capturing(Kernel32.UpdateProcThreadAttribute$address(), Kernel32.UpdateProcThreadAttribute$descriptor());
    private static final MethodHandle CREATE_PROCESS = capturing(Kernel32.CreateProcessW$address(), Kernel32.CreateProcessW$descriptor());
    private static final MethodHandle ASSIGN = capturing(Kernel32.AssignProcessToJobObject$address(), Kernel32.AssignProcessToJobObject$descriptor());
    private static final MethodHandle RESUME = capturing(Kernel32.ResumeThread$address(), Kernel32.ResumeThread$descriptor());
    private static final MethodHandle WAIT = capturing(Kernel32.WaitForSingleObject$address(), Kernel32.WaitForSingleObject$descriptor());
    private static final MethodHandle EXIT_CODE = capturing(Kernel32.GetExitCodeProcess$address(), Kernel32.GetExitCodeProcess$descriptor());
    private static final MethodHandle TERMINATE_JOB = capturing(Kernel32.TerminateJobObject$address(), Kernel32.TerminateJobObject$descriptor());
    private static final MethodHandle CTRL_EVENT = capturing(Kernel32.GenerateConsoleCtrlEvent$address(), Kernel32.GenerateConsoleCtrlEvent$descriptor());
    private static final MethodHandle READ = capturing(Kernel32.ReadFile$address(), Kernel32.ReadFile$descriptor());
    private static final MethodHandle WRITE = capturing(Kernel32.WriteFile$address(), Kernel32.WriteFile$descriptor());
    private static final MethodHandle CREATE_PORT = capturing(Kernel32.CreateIoCompletionPort$address(), Kernel32.CreateIoCompletionPort$descriptor());
    private static final MethodHandle QUEUED_STATUS = capturing(Kernel32.GetQueuedCompletionStatus$address(), Kernel32.GetQueuedCompletionStatus$descriptor());
    private static final MethodHandle TERMINATE_PROCESS = capturing(Kernel32.TerminateProcess$address(), Kernel32.TerminateProcess$descriptor());
    private static final MethodHandle CREATE_FILE = capturing(Kernel32.CreateFileW$address(), Kernel32.CreateFileW$descriptor());
    private static final MethodHandle STD_HANDLE = capturing(Kernel32.GetStdHandle$address(), Kernel32.GetStdHandle$descriptor());
    private static final MethodHandle DUPLICATE = capturing(Kernel32.DuplicateHandle$address(), Kernel32.DuplicateHandle$descriptor());
    private static final MethodHandle CURRENT_PROCESS = LINKER.downcallHandle(Kernel32.GetCurrentProcess$address(),
            Kernel32.GetCurrentProcess$descriptor());
    private static final MethodHandle CLOSE = capturing(Kernel32.CloseHandle$address(), Kernel32.CloseHandle$descriptor());

    private static MethodHandle capturing(MemorySegment address, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(address, descriptor, Linker.Option.captureCallState("GetLastError"));
    }

    /** One downcall whose capture segment is {@code state}. */
    @FunctionalInterface
    private interface Call {
        Object invoke(MemorySegment state) throws Throwable;
    }

    /** Makes the call and records its last error; @return what it returned */
    private static Object call(Call call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            Object result = call.invoke(state);
            LAST.set(state.get(ValueLayout.JAVA_INT, LAST_ERROR));
            return result;
        } catch (Throwable t) {
            throw new AssertionError("kernel32 downcall failed", t);
        }
    }

    private static boolean ok(Call c) {
        return (int) call(c) != 0;
    }

    @Override
    public MemorySegment createJobObject() {
        return (MemorySegment) call(s -> (MemorySegment) CREATE_JOB.invokeExact(s, MemorySegment.NULL, MemorySegment.NULL));
    }

    @Override
    public boolean setInformationJobObject(MemorySegment job, int infoClass, MemorySegment info) {
        return ok(s -> (int) SET_JOB.invokeExact(s, job, infoClass, info, (int) info.byteSize()));
    }

    @Override
    public boolean queryInformationJobObject(MemorySegment job, int infoClass, MemorySegment info) {
        return ok(s -> (int) QUERY_JOB.invokeExact(s, job, infoClass, info, (int) info.byteSize(), MemorySegment.NULL));
    }

    @Override
    public boolean createPipe(MemorySegment handles, MemorySegment securityAttributes) {
        MemorySegment write = handles.asSlice(ValueLayout.ADDRESS.byteSize());
        return ok(s -> (int) CREATE_PIPE.invokeExact(s, handles, write, securityAttributes, 0));
    }

    @Override
    public boolean setInheritable(MemorySegment handle, boolean inherit) {
        int flag = Kernel32.HANDLE_FLAG_INHERIT();
        return ok(s -> (int) SET_HANDLE_INFO.invokeExact(s, handle, flag, inherit ? flag : 0));
    }

    @Override
    public boolean initializeProcThreadAttributeList(MemorySegment list, int count, MemorySegment size) {
        return ok(s -> (int) INIT_ATTRIBUTES.invokeExact(s, list, count, 0, size));
    }

    @Override
    public boolean updateProcThreadAttribute(MemorySegment list, long attribute, MemorySegment value) {
        return ok(s -> (int) UPDATE_ATTRIBUTE.invokeExact(s, list, 0, attribute, value, value.byteSize(),
                MemorySegment.NULL, MemorySegment.NULL));
    }

    @Override
    public void deleteProcThreadAttributeList(MemorySegment list) {
        Kernel32.DeleteProcThreadAttributeList(list); // cannot fail
    }

    @Override
    public boolean createProcess(MemorySegment commandLine, int flags, MemorySegment environment, MemorySegment directory,
                                 MemorySegment startupInfo, MemorySegment processInfo) {
        return ok(s -> (int) CREATE_PROCESS.invokeExact(s, MemorySegment.NULL, commandLine, MemorySegment.NULL,
                MemorySegment.NULL, 1, flags, environment, directory, startupInfo, processInfo));
    }

    @Override
    public boolean assignProcessToJobObject(MemorySegment job, MemorySegment process) {
        return ok(s -> (int) ASSIGN.invokeExact(s, job, process));
    }

    @Override
    public int resumeThread(MemorySegment thread) {
        return (int) call(s -> (int) RESUME.invokeExact(s, thread));
    }

    @Override
    public int waitForSingleObject(MemorySegment handle, int millis) {
        return (int) call(s -> (int) WAIT.invokeExact(s, handle, millis));
    }

    @Override
    public boolean getExitCodeProcess(MemorySegment process, MemorySegment code) {
        return ok(s -> (int) EXIT_CODE.invokeExact(s, process, code));
    }

    @Override
    public MemorySegment createFile(MemorySegment path, int access, int share, MemorySegment security, int disposition) {
        return (MemorySegment) call(s -> (MemorySegment) CREATE_FILE.invokeExact(s, path, access, share, security,
                disposition, Kernel32.FILE_ATTRIBUTE_NORMAL(), MemorySegment.NULL));
    }

    @Override
    public MemorySegment getStdHandle(int which) {
        return (MemorySegment) call(s -> (MemorySegment) STD_HANDLE.invokeExact(s, which));
    }

    @Override
    public boolean duplicateInheritable(MemorySegment handle, MemorySegment duplicate) {
        try {
            MemorySegment self = (MemorySegment) CURRENT_PROCESS.invokeExact(); // a pseudo-handle: nothing to close
            return ok(s -> (int) DUPLICATE.invokeExact(s, self, handle, self, duplicate, 0, 1,
                    Kernel32.DUPLICATE_SAME_ACCESS()));
        } catch (Throwable t) {
            throw new AssertionError("GetCurrentProcess failed", t);
        }
    }

    @Override
    public MemorySegment createIoCompletionPort() {
        return (MemorySegment) call(s -> (MemorySegment) CREATE_PORT.invokeExact(s, Kernel32.INVALID_HANDLE_VALUE(),
                MemorySegment.NULL, 0L, 1));
    }

    @Override
    public boolean getQueuedCompletionStatus(MemorySegment port, MemorySegment message, MemorySegment key,
                                             MemorySegment overlapped, int millis) {
        return ok(s -> (int) QUEUED_STATUS.invokeExact(s, port, message, key, overlapped, millis));
    }

    @Override
    public boolean terminateProcess(MemorySegment process, int exitCode) {
        return ok(s -> (int) TERMINATE_PROCESS.invokeExact(s, process, exitCode));
    }

    @Override
    public boolean terminateJobObject(MemorySegment job, int exitCode) {
        return ok(s -> (int) TERMINATE_JOB.invokeExact(s, job, exitCode));
    }

    @Override
    public boolean generateConsoleCtrlEvent(int event, int processGroupId) {
        return ok(s -> (int) CTRL_EVENT.invokeExact(s, event, processGroupId));
    }

    @Override
    public boolean readFile(MemorySegment handle, MemorySegment buffer, int length, MemorySegment done) {
        return ok(s -> (int) READ.invokeExact(s, handle, buffer, length, done, MemorySegment.NULL));
    }

    @Override
    public boolean writeFile(MemorySegment handle, MemorySegment buffer, int length, MemorySegment done) {
        return ok(s -> (int) WRITE.invokeExact(s, handle, buffer, length, done, MemorySegment.NULL));
    }

    @Override
    public boolean closeHandle(MemorySegment handle) {
        return ok(s -> (int) CLOSE.invokeExact(s, handle));
    }

    @Override
    public int lastError() {
        return LAST.get();
    }
}
