package io.github.procgroup.internal.windows;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.TestAccess;
import io.github.procgroup.WindowsErrorException;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_ACCOUNTING_INFORMATION;
import io.github.procgroup.bindings.windows.Kernel32;
import io.github.procgroup.bindings.windows.PROCESS_INFORMATION;
import io.github.procgroup.bindings.windows.STARTUPINFOEXW;
import io.github.procgroup.bindings.windows.STARTUPINFOW;
import io.github.procgroup.internal.GroupPlacement;
import io.github.procgroup.internal.KillTrigger;
import io.github.procgroup.internal.SpawnRequest;
import io.github.procgroup.internal.Stdio;
import org.junit.jupiter.api.Test;

import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order of kernel32 calls WindowsSpawner makes, and what it passes, recorded on Linux by a
 * {@link Win32} that answers like Windows would. This cannot show that Windows accepts the calls
 * (that needs a Windows run, see the README's checklist); it shows the plan: the job before the
 * process, the child created inside it (or suspended, assigned, resumed), no breakaway, only the
 * stdio handles inherited, and every handle closed on every path.
 */
class WindowsSpawnerCallSequenceTest {
    private static final int CREATE_SUSPENDED = 0x4;
    private static final int CREATE_BREAKAWAY_FROM_JOB = 0x01000000;

    @Test
    void childIsCreatedInsideItsJob() throws Exception {
        Recorder w = new Recorder();
        WindowsSpawner.Started s = new WindowsSpawner(w).spawn(request(Map.of("A", "1")));
        assertEquals(List.of("createJobObject", "setInformationJobObject:9",
                "createPipe", "setInheritable:false", "createPipe", "setInheritable:false", "createPipe", "setInheritable:false",
                "initializeProcThreadAttributeList:size", "initializeProcThreadAttributeList",
                "updateProcThreadAttribute:HANDLE_LIST:3", "updateProcThreadAttribute:JOB_LIST:1",
                "createProcess", "deleteProcThreadAttributeList"), w.calls.subList(0, 14));
        assertEquals(0x80000 | 0x400 | 0x200, w.createFlags, "EXTENDED_STARTUPINFO_PRESENT | UNICODE_ENVIRONMENT | NEW_PROCESS_GROUP");
        assertEquals("prog \"a b\"", w.commandLine);
        assertEquals(0x100, w.startupFlags, "STARTF_USESTDHANDLES");
        assertEquals(4242, s.pid());
        // Closed: the child's three pipe ends and the thread handle; kept: job, process, parent ends.
        assertEquals(Set.of(s.job(), s.process(), s.stdin(), s.stdout(), s.stderr()), w.open());
    }

    @Test
    void withoutJobListTheChildStartsSuspendedAndIsAssignedBeforeItRuns() throws Exception {
        Recorder w = new Recorder();
        w.refuseJobList = true;
        WindowsSpawner.Started s = new WindowsSpawner(w).spawn(request(null));
        int create = w.calls.indexOf("createProcess");
        assertEquals(List.of("createProcess", "assignProcessToJobObject", "resumeThread"), w.calls.subList(create, create + 3));
        assertEquals(CREATE_SUSPENDED, w.createFlags & CREATE_SUSPENDED);
        assertEquals(Set.of(s.job(), s.process(), s.stdin(), s.stdout(), s.stderr()), w.open());
    }

    @Test
    void neverBreaksAwayFromTheJob() throws Exception {
        for (boolean refuse : List.of(false, true)) {
            Recorder w = new Recorder();
            w.refuseJobList = refuse;
            new WindowsSpawner(w).spawn(request(null));
            assertEquals(0, w.createFlags & CREATE_BREAKAWAY_FROM_JOB);
        }
    }

    @Test
    void aFailedCreateProcessClosesEverythingAndNamesTheError() {
        Recorder w = new Recorder();
        w.createProcessError = 2; // ERROR_FILE_NOT_FOUND
        WindowsErrorException e = assertThrows(WindowsErrorException.class, () -> new WindowsSpawner(w).spawn(request(null)));
        assertEquals("ERROR_FILE_NOT_FOUND", e.errorName());
        assertEquals(2, e.errorNumber());
        assertTrue(e.getMessage().contains("\"prog\""), e.getMessage());
        assertEquals(Set.of(), w.open(), "no handle left open");
    }

    @Test
    void terminateAsksPolitelyThenEndsTheJobAndNeverRefusesSigcont() throws Exception {
        Recorder w = new Recorder();
        w.ignoresCtrlBreak = true;
        GroupProcess p = TestAccess.groupProcess(new WindowsProcess(w, w, new JobPort(w, w), new WindowsSpawner(w).spawn(request(null))));
        assertTrue(p.isAlive());

        ExitStatus status = p.terminate(Duration.ofMillis(200));

        assertEquals(ExitStatus.exited(WindowsProcess.TERMINATED_EXIT_CODE), status, "ended by TerminateJobObject");
        List<String> ending = w.callsAfter("createProcess").stream()
                .filter(c -> c.equals("generateConsoleCtrlEvent") || c.equals("terminateJobObject")).toList();
        assertEquals("generateConsoleCtrlEvent", ending.get(0), "CTRL_BREAK first: " + ending);
        assertEquals("terminateJobObject", ending.get(1), "then the job, after the grace: " + ending);
        assertFalse(p.isAlive());
    }

    @Test
    void terminateReturnsTheLeadersOwnStatusWhenItObeysCtrlBreak() throws Exception {
        Recorder w = new Recorder();
        GroupProcess p = TestAccess.groupProcess(new WindowsProcess(w, w, new JobPort(w, w), new WindowsSpawner(w).spawn(request(null))));

        ExitStatus status = p.terminate(Duration.ofSeconds(30));

        assertEquals(ExitStatus.exited(Recorder.CTRL_BREAK_EXIT_CODE), status);
        assertFalse(w.callsAfter("createProcess").contains("terminateJobObject"), "no job kill needed: " + w.calls);
    }

    private static SpawnRequest request(Map<String, String> env) {
        return new SpawnRequest(List.of("prog", "a b"), null, env, new Stdio(Redirect.PIPE, Redirect.PIPE, Redirect.PIPE),
                GroupPlacement.NEW_GROUP, Set.of(KillTrigger.JVM_EXIT), io.github.procgroup.internal.ContainmentRequest.GROUP);
    }

    /**
     * Answers like kernel32 with fresh fake handles, and records each call. The job it plays
     * holds two processes from CreateProcessW until TerminateJobObject (or, unless
     * {@link #ignoresCtrlBreak}, until a CTRL_BREAK_EVENT, which the leader obeys); the leader's
     * wait returns once they are gone. Thread-safe: the wait runs on the backend's own thread.
     */
    private static final class Recorder implements Win32, Win32Job {
        /** STATUS_CONTROL_C_EXIT, as a console program ended by CTRL_BREAK exits. */
        static final int CTRL_BREAK_EXIT_CODE = 0xC000013A;
        final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<Long> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        private volatile int activeProcesses;
        private volatile int exitCode;
        volatile boolean ignoresCtrlBreak;
        boolean refuseJobList;
        int createProcessError;
        int createFlags;
        int startupFlags;
        String commandLine;
        private long nextHandle = 0x100;
        private int lastError;

        private MemorySegment newHandle() {
            open.add(nextHandle);
            return MemorySegment.ofAddress(nextHandle++);
        }

        List<String> callsAfter(String call) {
            synchronized (calls) {
                return List.copyOf(calls.subList(calls.indexOf(call) + 1, calls.size()));
            }
        }

        private void end(int code) {
            exitCode = code;
            activeProcesses = 0;
            ended.countDown();
        }

        Set<MemorySegment> open() {
            Set<MemorySegment> handles = new HashSet<>();
            open.forEach(h -> handles.add(MemorySegment.ofAddress(h)));
            return handles;
        }

        // The job-watching calls: no completion port (the accounting alone tells the end), no leader kill.
        @Override
        public MemorySegment createIoCompletionPort() {
            calls.add("createIoCompletionPort");
            return MemorySegment.NULL;
        }

        @Override
        public boolean getQueuedCompletionStatus(MemorySegment port, MemorySegment message, MemorySegment key,
                                                 MemorySegment overlapped, int millis) {
            throw new AssertionError("no port was made");
        }

        @Override
        public boolean terminateProcess(MemorySegment process, int exitCode) {
            throw new AssertionError("not expected");
        }

        @Override
        public MemorySegment createJobObject() {
            calls.add("createJobObject");
            return newHandle();
        }

        @Override
        public boolean setInformationJobObject(MemorySegment job, int infoClass, MemorySegment info) {
            calls.add("setInformationJobObject:" + infoClass);
            return true;
        }

        @Override
        public boolean queryInformationJobObject(MemorySegment job, int infoClass, MemorySegment info) {
            calls.add("queryInformationJobObject");
            JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.ActiveProcesses(info, activeProcesses);
            return true;
        }

        @Override
        public boolean createPipe(MemorySegment handles, MemorySegment securityAttributes) {
            calls.add("createPipe");
            handles.setAtIndex(ValueLayout.ADDRESS, 0, newHandle());
            handles.setAtIndex(ValueLayout.ADDRESS, 1, newHandle());
            return true;
        }

        @Override
        public boolean setInheritable(MemorySegment handle, boolean inherit) {
            calls.add("setInheritable:" + inherit);
            return true;
        }

        @Override
        public boolean initializeProcThreadAttributeList(MemorySegment list, int count, MemorySegment size) {
            if (list.equals(MemorySegment.NULL)) {
                calls.add("initializeProcThreadAttributeList:size");
                size.set(ValueLayout.JAVA_LONG, 0, 64);
                lastError = 122; // ERROR_INSUFFICIENT_BUFFER, as Windows answers the size query
                return false;
            }
            calls.add("initializeProcThreadAttributeList");
            return true;
        }

        @Override
        public boolean updateProcThreadAttribute(MemorySegment list, long attribute, MemorySegment value) {
            String name = attribute == 0x20002 ? "HANDLE_LIST" : attribute == 0x2000D ? "JOB_LIST" : "0x" + Long.toHexString(attribute);
            calls.add("updateProcThreadAttribute:" + name + ":" + value.byteSize() / ValueLayout.ADDRESS.byteSize());
            if (name.equals("JOB_LIST") && refuseJobList) {
                lastError = 87; // ERROR_INVALID_PARAMETER: an unknown attribute before Windows 10
                return false;
            }
            return true;
        }

        @Override
        public void deleteProcThreadAttributeList(MemorySegment list) {
            calls.add("deleteProcThreadAttributeList");
        }

        @Override
        public boolean createProcess(MemorySegment commandLine, int flags, MemorySegment environment, MemorySegment directory,
                                     MemorySegment startupInfo, MemorySegment processInfo) {
            calls.add("createProcess");
            this.createFlags = flags;
            this.commandLine = commandLine.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_16LE);
            this.startupFlags = STARTUPINFOW.dwFlags(STARTUPINFOEXW.StartupInfo(startupInfo));
            if (createProcessError != 0) {
                lastError = createProcessError;
                return false;
            }
            PROCESS_INFORMATION.hProcess(processInfo, newHandle());
            PROCESS_INFORMATION.hThread(processInfo, newHandle());
            PROCESS_INFORMATION.dwProcessId(processInfo, 4242);
            activeProcesses = 2;
            return true;
        }

        @Override
        public boolean assignProcessToJobObject(MemorySegment job, MemorySegment process) {
            calls.add("assignProcessToJobObject");
            return true;
        }

        @Override
        public int resumeThread(MemorySegment thread) {
            calls.add("resumeThread");
            return 1;
        }

        @Override
        public int waitForSingleObject(MemorySegment handle, int millis) {
            calls.add("waitForSingleObject");
            try {
                ended.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Kernel32.WAIT_FAILED();
            }
            return 0; // WAIT_OBJECT_0
        }

        @Override
        public boolean getExitCodeProcess(MemorySegment process, MemorySegment code) {
            calls.add("getExitCodeProcess");
            code.set(ValueLayout.JAVA_INT, 0, exitCode);
            return true;
        }

        @Override
        public boolean terminateJobObject(MemorySegment job, int exitCode) {
            calls.add("terminateJobObject");
            end(exitCode);
            return true;
        }

        @Override
        public boolean generateConsoleCtrlEvent(int event, int processGroupId) {
            calls.add("generateConsoleCtrlEvent");
            if (!ignoresCtrlBreak) {
                end(CTRL_BREAK_EXIT_CODE);
            }
            return true;
        }

        @Override
        public boolean readFile(MemorySegment handle, MemorySegment buffer, int length, MemorySegment done) {
            return false;
        }

        @Override
        public boolean writeFile(MemorySegment handle, MemorySegment buffer, int length, MemorySegment done) {
            return false;
        }

        @Override
        public boolean closeHandle(MemorySegment handle) {
            calls.add("closeHandle");
            return open.remove(handle.address());
        }

        @Override
        public int lastError() {
            return lastError;
        }
    }
}
