package io.github.procgroup.internal.windows;

import io.github.procgroup.Containment;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessAccess;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.windows.JOBOBJECT_ASSOCIATE_COMPLETION_PORT;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_ACCOUNTING_INFORMATION;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_PROCESS_ID_LIST;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a started Windows child is ended, listed and watched, recorded on Linux with a fake kernel32
 * (an OS mock, which the project allows for Windows only): {@code terminate()} is CTRL_BREAK,
 * the grace, then TerminateJobObject, with no refused SIGCONT; {@code signalLeader(KILL)} is
 * TerminateProcess on the leader, never the job; the tree is the job's process id list, grown
 * on ERROR_MORE_DATA; "tree empty" comes from the completion port's ACTIVE_PROCESS_ZERO, and
 * from the job's accounting when that message never comes.
 */
@Timeout(60)
class WindowsJobCallSequenceTest {
    private static final int JOB_BASIC_ACCOUNTING = 1;
    private static final int JOB_PROCESS_ID_LIST = 3;
    private static final int JOB_ASSOCIATE_COMPLETION_PORT = 7;
    private static final int MSG_ACTIVE_PROCESS_ZERO = 4;
    private static final int MSG_NEW_PROCESS = 6;
    private static final int ERROR_MORE_DATA = 234;
    private static final int WAIT_TIMEOUT = 258;
    private static final int CTRL_BREAK_EVENT = 1;
    private static final int PID = 4242;

    @Test
    void terminateBreaksThenTerminatesTheJobWithoutRefusingCont() throws Exception {
        FakeWindows w = new FakeWindows();
        w.ignoresCtrlBreak = true;
        WindowsProcess child = w.child();
        GroupProcess p = GroupProcessAccess.of(child);
        ExitStatus status = p.terminate(Duration.ofMillis(200));
        assertEquals(ExitStatus.exited(1), status, "TerminateJobObject's exit code");
        List<String> ends = w.calls().stream().filter(c -> c.startsWith("generate") || c.startsWith("terminate")).toList();
        assertEquals("generateConsoleCtrlEvent:" + CTRL_BREAK_EVENT + ":" + PID, ends.get(0), "the polite request first");
        assertTrue(ends.contains("terminateJobObject"), "then the job, after the grace: " + ends);
        assertFalse(child.treeRuns(), "the accounting says the job is empty");
    }

    @Test
    void terminateOfACooperativeTreeNeedsNoTerminateJobObject() throws Exception {
        FakeWindows w = new FakeWindows();
        GroupProcess p = GroupProcessAccess.of(w.child());
        assertEquals(ExitStatus.exited(0xC000013A), p.terminate(Duration.ofSeconds(20)), "STATUS_CONTROL_C_EXIT");
        assertFalse(w.calls().contains("terminateJobObject"), w.calls().toString());
    }

    @Test
    void signalLeaderKillsTheLeaderAloneAndRefusesWhatWouldReachTheJob() throws Exception {
        FakeWindows w = new FakeWindows();
        GroupProcess p = GroupProcessAccess.of(w.child());
        assertThrows(UnsupportedOperationException.class, () -> p.signalLeader(Signal.TERM));
        assertThrows(UnsupportedOperationException.class, () -> p.signal(Signal.HUP));
        assertTrue(p.signalLeader(Signal.KILL));
        assertTrue(w.calls().contains("terminateProcess:" + FakeWindows.PROCESS), w.calls().toString());
        assertFalse(w.calls().contains("terminateJobObject"), "the job is not touched");
        p.awaitExit();
        assertFalse(p.signalLeader(Signal.KILL), "a reaped leader is not signalled");
        assertFalse(p.supportsNormalTermination(), "no overclaim: CTRL_BREAK reaches console children only");
        assertEquals(Containment.JOB_OBJECT, p.containment());
        p.destroyForcibly();
    }

    @Test
    void theTreeIsTheJobsProcessIdListGrownOnMoreData() throws Exception {
        FakeWindows w = new FakeWindows();
        w.jobPids = LongStream.rangeClosed(1000, 1099).toArray(); // more than the first query's room
        long[] pids = new JobProcessList(w, FakeWindows.JOB).pids();
        assertArrayEquals(w.jobPids, pids);
        assertEquals(List.of("queryInformationJobObject:" + JOB_PROCESS_ID_LIST + ":room " + JobProcessList.FIRST_ROOM,
                        "queryInformationJobObject:" + JOB_PROCESS_ID_LIST + ":room 164"),
                w.calls().stream().filter(c -> c.startsWith("queryInformationJobObject:" + JOB_PROCESS_ID_LIST)).toList());
    }

    @Test
    void aFailedListingNamesTheError() {
        FakeWindows w = new FakeWindows();
        w.listError = 5; // ERROR_ACCESS_DENIED
        Exception e = assertThrows(java.io.UncheckedIOException.class, () -> new JobProcessList(w, FakeWindows.JOB).pids());
        assertEquals("ERROR_ACCESS_DENIED", ((io.github.procgroup.WindowsErrorException) e.getCause()).errorName());
    }

    @Test
    void activeProcessZeroOnTheCompletionPortCompletesTheJobsEmptied() throws Exception {
        FakeWindows w = new FakeWindows();
        JobPort port = new JobPort(w, w); // not started: the test reads the messages itself
        CompletableFuture<Void> emptied = port.watch(FakeWindows.JOB);
        assertEquals("setInformationJobObject:" + JOB_ASSOCIATE_COMPLETION_PORT + ":port 30",
                w.calls().get(w.calls().size() - 1));
        long key = w.associatedKey;
        w.messages.add(new long[] {MSG_NEW_PROCESS, key});
        assertTrue(port.readOne(0));
        assertFalse(emptied.isDone(), "a new process is no end");
        assertTrue(port.readOne(0), "a timeout");
        assertFalse(emptied.isDone());
        w.messages.add(new long[] {MSG_ACTIVE_PROCESS_ZERO, key + 1}); // another job's
        assertTrue(port.readOne(0));
        assertFalse(emptied.isDone());
        w.messages.add(new long[] {MSG_ACTIVE_PROCESS_ZERO, key});
        assertTrue(port.readOne(0));
        assertTrue(emptied.isDone() && !emptied.isCompletedExceptionally());
    }

    @Test
    void aFailingPortFailsEveryWaitWithTheError() {
        FakeWindows w = new FakeWindows();
        JobPort port = new JobPort(w, w);
        CompletableFuture<Void> emptied = port.watch(FakeWindows.JOB);
        w.portError = 6; // ERROR_INVALID_HANDLE
        assertFalse(port.readOne(0), "the port is given up");
        ExecutionException e = assertThrows(ExecutionException.class, () -> emptied.get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("GetQueuedCompletionStatus"), e.getCause().getMessage());
        assertTrue(port.watch(FakeWindows.JOB).isCompletedExceptionally(), "later jobs: accounting alone");
    }

    @Test
    void withoutTheMessageTheAccountingSaysTheTreeIsEmpty() throws Exception {
        FakeWindows w = new FakeWindows();
        WindowsProcess child = w.child(); // its port never delivers a message
        assertTrue(child.treeRuns());
        w.active = 0;
        w.exitLeader();
        child.exit().get(10, TimeUnit.SECONDS);
        assertFalse(child.treeRuns(), "ActiveProcesses 0: empty, though no message came");
        assertFalse(child.emptied().orElseThrow().isDone(), "the message really did not come");
    }

    @Test
    void fileDiscardAndInheritRedirectsBecomeInheritedHandlesClosedAfterCreation() throws Exception {
        FakeWindows w = new FakeWindows();
        java.io.File in = new java.io.File("C:\\in.txt");
        java.io.File log = new java.io.File("C:\\log.txt");
        WindowsSpawner.Started s = new WindowsSpawner(w, w).spawn(request(new io.github.procgroup.internal.Stdio(
                java.lang.ProcessBuilder.Redirect.from(in), java.lang.ProcessBuilder.Redirect.appendTo(log),
                java.lang.ProcessBuilder.Redirect.DISCARD)));
        List<String> files = w.calls().stream().filter(c -> c.startsWith("createFile")).toList();
        assertEquals(3, files.size(), files.toString());
        assertTrue(files.get(0).startsWith("createFile:C:\\in.txt:80000000:3:"), "GENERIC_READ, OPEN_EXISTING: " + files);
        assertTrue(files.get(1).startsWith("createFile:C:\\log.txt:4:4:"), "FILE_APPEND_DATA, OPEN_ALWAYS: " + files);
        assertTrue(files.get(2).startsWith("createFile:NUL:40000000:3:"), "DISCARD is NUL: " + files);
        assertEquals(List.of(w.stdHandles[0], w.stdHandles[1], w.stdHandles[2]), w.inheritedList,
                "exactly the three std handles are inherited");
        assertEquals(MemorySegment.NULL, s.stdout(), "no parent end for a redirect");
        for (long handle : w.stdHandles) {
            assertTrue(w.calls().contains("closeHandle:" + MemorySegment.ofAddress(handle)), "closed after creation: " + handle);
        }
    }

    @Test
    void inheritDuplicatesTheJvmsStdHandleAndUsesNulWhereItHasNone() throws Exception {
        FakeWindows w = new FakeWindows();
        java.lang.ProcessBuilder.Redirect inherit = java.lang.ProcessBuilder.Redirect.INHERIT;
        new WindowsSpawner(w, w).spawn(request(new io.github.procgroup.internal.Stdio(inherit, inherit, inherit)));
        String duplicate = w.calls().stream().filter(c -> c.startsWith("duplicateInheritable")).findFirst().orElseThrow();
        assertTrue(duplicate.startsWith("duplicateInheritable:" + 0x77 + ":"), duplicate);
        assertEquals(Long.parseLong(duplicate.substring(duplicate.lastIndexOf(':') + 1)), w.stdHandles[1],
                "the child's stdout is the duplicate, not the JVM's own handle");
        assertEquals(2, w.calls().stream().filter(c -> c.startsWith("createFile:NUL")).count(), "no stdin, no stderr: NUL");
    }

    private static io.github.procgroup.internal.SpawnRequest request(io.github.procgroup.internal.Stdio stdio) {
        return new io.github.procgroup.internal.SpawnRequest(List.of("prog"), null, null, stdio,
                io.github.procgroup.internal.GroupPlacement.NEW_GROUP,
                java.util.Set.of(io.github.procgroup.internal.KillTrigger.JVM_EXIT), io.github.procgroup.internal.ContainmentRequest.GROUP);
    }

    /** A kernel32 that answers like Windows for one job with one leader, recording each call. */
    private static final class FakeWindows implements Win32, Win32Job, Win32Handles {
        static final MemorySegment JOB = MemorySegment.ofAddress(0x10);
        static final MemorySegment PROCESS = MemorySegment.ofAddress(0x20);
        static final MemorySegment PORT = MemorySegment.ofAddress(0x30);
        private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch leaderExit = new CountDownLatch(1);
        final List<long[]> messages = Collections.synchronizedList(new ArrayList<>());
        volatile boolean ignoresCtrlBreak;
        volatile int active = 3;
        volatile int exitCode = 0xC000013A;
        volatile long[] jobPids = {PID, 4243, 4244};
        volatile int listError;
        volatile int portError;
        volatile long associatedKey;
        private final ThreadLocal<Integer> lastError = ThreadLocal.withInitial(() -> 0);

        WindowsProcess child() {
            WindowsSpawner.Started started = new WindowsSpawner.Started(JOB, PROCESS, PID,
                    MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL);
            return new WindowsProcess(this, this, new JobPort(this, this), started);
        }

        List<String> calls() {
            synchronized (calls) {
                return List.copyOf(calls);
            }
        }

        void exitLeader() {
            leaderExit.countDown();
        }

        private boolean fail(int error) {
            lastError.set(error);
            return false;
        }

        @Override
        public MemorySegment createIoCompletionPort() {
            calls.add("createIoCompletionPort");
            return PORT;
        }

        @Override
        public boolean getQueuedCompletionStatus(MemorySegment port, MemorySegment message, MemorySegment key,
                                                 MemorySegment overlapped, int millis) {
            if (portError != 0) {
                return fail(portError);
            }
            if (messages.isEmpty()) {
                return fail(WAIT_TIMEOUT);
            }
            long[] next = messages.remove(0);
            message.set(ValueLayout.JAVA_INT, 0, (int) next[0]);
            key.set(ValueLayout.JAVA_LONG, 0, next[1]);
            return true;
        }

        @Override
        public boolean terminateProcess(MemorySegment process, int exitCode) {
            calls.add("terminateProcess:" + process);
            this.exitCode = exitCode;
            active--;
            exitLeader();
            return true;
        }

        @Override
        public boolean setInformationJobObject(MemorySegment job, int infoClass, MemorySegment info) {
            if (infoClass == JOB_ASSOCIATE_COMPLETION_PORT) {
                MemorySegment struct = info.reinterpret(JOBOBJECT_ASSOCIATE_COMPLETION_PORT.layout().byteSize());
                associatedKey = JOBOBJECT_ASSOCIATE_COMPLETION_PORT.CompletionKey(struct).address();
                calls.add("setInformationJobObject:" + infoClass + ":port "
                        + Long.toHexString(JOBOBJECT_ASSOCIATE_COMPLETION_PORT.CompletionPort(struct).address()));
                return true;
            }
            calls.add("setInformationJobObject:" + infoClass);
            return true;
        }

        @Override
        public boolean queryInformationJobObject(MemorySegment job, int infoClass, MemorySegment info) {
            if (infoClass == JOB_BASIC_ACCOUNTING) {
                calls.add("queryInformationJobObject:" + infoClass);
                JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.ActiveProcesses(info, active);
                return true;
            }
            long header = JOBOBJECT_BASIC_PROCESS_ID_LIST.layout().byteOffset(
                    MemoryLayout.PathElement.groupElement("ProcessIdList"));
            long room = (info.byteSize() - header) / 8;
            calls.add("queryInformationJobObject:" + infoClass + ":room " + room);
            if (listError != 0) {
                return fail(listError);
            }
            long[] pids = jobPids;
            int listed = (int) Math.min(room, pids.length);
            JOBOBJECT_BASIC_PROCESS_ID_LIST.NumberOfAssignedProcesses(info, pids.length);
            JOBOBJECT_BASIC_PROCESS_ID_LIST.NumberOfProcessIdsInList(info, listed);
            for (int i = 0; i < listed; i++) {
                info.set(ValueLayout.JAVA_LONG, header + 8L * i, pids[i]);
            }
            return listed == pids.length || fail(ERROR_MORE_DATA);
        }

        @Override
        public boolean terminateJobObject(MemorySegment job, int exitCode) {
            calls.add("terminateJobObject");
            this.exitCode = exitCode;
            active = 0;
            exitLeader();
            return true;
        }

        @Override
        public boolean generateConsoleCtrlEvent(int event, int processGroupId) {
            calls.add("generateConsoleCtrlEvent:" + event + ":" + processGroupId);
            if (!ignoresCtrlBreak) {
                active = 0;
                exitLeader();
            }
            return true;
        }

        @Override
        public int waitForSingleObject(MemorySegment handle, int millis) {
            try {
                leaderExit.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0; // WAIT_OBJECT_0
        }

        @Override
        public boolean getExitCodeProcess(MemorySegment process, MemorySegment code) {
            code.set(ValueLayout.JAVA_INT, 0, exitCode);
            return true;
        }

        @Override
        public boolean closeHandle(MemorySegment handle) {
            calls.add("closeHandle:" + handle);
            return true;
        }

        @Override
        public int lastError() {
            return lastError.get();
        }

        // Spawning: enough for WindowsSpawner to make one child, recording what its stdio handles are.
        private long nextHandle = 0x100;
        final List<Long> inheritedList = new ArrayList<>();
        final long[] stdHandles = new long[3];
        volatile MemorySegment jvmStdout = MemorySegment.ofAddress(0x77);

        private MemorySegment newHandle() {
            return MemorySegment.ofAddress(nextHandle++);
        }

        @Override
        public MemorySegment createFile(MemorySegment path, int access, int share, MemorySegment security, int disposition) {
            String name = path.reinterpret(1024).getString(0, java.nio.charset.StandardCharsets.UTF_16LE);
            MemorySegment handle = newHandle();
            calls.add("createFile:" + name + ":" + Integer.toHexString(access) + ":" + disposition + ":" + handle.address());
            return handle;
        }

        @Override
        public MemorySegment getStdHandle(int which) {
            calls.add("getStdHandle:" + which);
            return which == -11 ? jvmStdout : MemorySegment.NULL; // only stdout; no stdin or stderr
        }

        @Override
        public boolean duplicateInheritable(MemorySegment handle, MemorySegment duplicate) {
            MemorySegment copy = newHandle();
            calls.add("duplicateInheritable:" + handle.address() + ":" + copy.address());
            duplicate.set(ValueLayout.ADDRESS, 0, copy);
            return true;
        }

        @Override
        public MemorySegment createJobObject() {
            calls.add("createJobObject");
            return JOB;
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
            return true;
        }

        @Override
        public boolean initializeProcThreadAttributeList(MemorySegment list, int count, MemorySegment size) {
            if (list.equals(MemorySegment.NULL)) {
                size.set(ValueLayout.JAVA_LONG, 0, 64);
                return fail(122); // ERROR_INSUFFICIENT_BUFFER
            }
            return true;
        }

        @Override
        public boolean updateProcThreadAttribute(MemorySegment list, long attribute, MemorySegment value) {
            if (attribute == 0x20002) { // PROC_THREAD_ATTRIBUTE_HANDLE_LIST
                for (long i = 0; i < value.byteSize() / 8; i++) {
                    inheritedList.add(value.getAtIndex(ValueLayout.ADDRESS, i).address());
                }
            }
            return true;
        }

        @Override
        public void deleteProcThreadAttributeList(MemorySegment list) {
        }

        @Override
        public boolean createProcess(MemorySegment commandLine, int flags, MemorySegment environment,
                                     MemorySegment directory, MemorySegment startupInfo, MemorySegment processInfo) {
            calls.add("createProcess");
            MemorySegment info = io.github.procgroup.bindings.windows.STARTUPINFOEXW.StartupInfo(startupInfo);
            stdHandles[0] = io.github.procgroup.bindings.windows.STARTUPINFOW.hStdInput(info).address();
            stdHandles[1] = io.github.procgroup.bindings.windows.STARTUPINFOW.hStdOutput(info).address();
            stdHandles[2] = io.github.procgroup.bindings.windows.STARTUPINFOW.hStdError(info).address();
            io.github.procgroup.bindings.windows.PROCESS_INFORMATION.hProcess(processInfo, PROCESS);
            io.github.procgroup.bindings.windows.PROCESS_INFORMATION.hThread(processInfo, newHandle());
            io.github.procgroup.bindings.windows.PROCESS_INFORMATION.dwProcessId(processInfo, PID);
            return true;
        }

        @Override
        public boolean assignProcessToJobObject(MemorySegment job, MemorySegment process) {
            throw new AssertionError("not expected");
        }

        @Override
        public int resumeThread(MemorySegment thread) {
            throw new AssertionError("not expected");
        }

        @Override
        public boolean readFile(MemorySegment handle, MemorySegment buffer, int length, MemorySegment done) {
            throw new AssertionError("not expected");
        }

        @Override
        public boolean writeFile(MemorySegment handle, MemorySegment buffer, int length, MemorySegment done) {
            throw new AssertionError("not expected");
        }
    }
}
