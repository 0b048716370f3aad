package io.github.procgroup.internal.windows;

import io.github.procgroup.Containment;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.ResourceUsage;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_ACCOUNTING_INFORMATION;
import io.github.procgroup.bindings.windows.Kernel32;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.NullStreams;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A child in a Job Object of its own. The job is the tree: {@link #signalTree} with SIGKILL is
 * TerminateJobObject, which ends every process in it, however deep; SIGTERM and SIGINT become
 * CTRL_BREAK_EVENT to the child's console process group (its pid), the closest Windows has to a
 * polite request, and TerminateJobObject where no console is shared. SIGCONT (resume) does
 * nothing: procgroup never stops a Windows tree, so there is nothing to resume, and
 * {@code terminate()}'s TERM, CONT, KILL sequence works unchanged; every other signal is
 * refused by name. The leader's exit is
 * noticed by a thread per child blocked in WaitForSingleObject (Windows has no pidfd; a
 * thread-pool wait would save the thread). The tree's end is told by the job's completion port
 * ({@link JobPort}) and, since its messages are not guaranteed, checked against the job's
 * accounting (ActiveProcesses). {@link #members()} and {@link #tree()} are the job's process id
 * list (JobObjectBasicProcessIdList).
 */
final class WindowsProcess implements ChildProcess {
    /** The exit code TerminateJobObject gives every process of a killed tree. */
    static final int TERMINATED_EXIT_CODE = 1;

    private final Win32 win32;
    private final Win32Job jobs;
    private final WindowsSpawner.Started started;
    private final JobProcessList processList;
    /** Completed by the job's ACTIVE_PROCESS_ZERO message (or failed: then accounting alone decides). */
    private final CompletableFuture<Void> emptied;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final Optional<ProcessHandle> handle;

    WindowsProcess(Win32 win32, Win32Job jobs, JobPort port, WindowsSpawner.Started started) {
        this.win32 = win32;
        this.jobs = jobs;
        this.started = started;
        this.processList = new JobProcessList(win32, started.job());
        this.emptied = port.watch(started.job());
        this.stdin = isNull(started.stdin()) ? NullStreams.OUTPUT : HandleStreams.output(win32, started.stdin());
        this.stdout = isNull(started.stdout()) ? NullStreams.INPUT : HandleStreams.input(win32, started.stdout());
        this.stderr = isNull(started.stderr()) ? NullStreams.INPUT : HandleStreams.input(win32, started.stderr());
        this.handle = ProcessHandle.of(started.pid()); // the process handle we hold keeps the pid ours
        Thread.ofPlatform().daemon().name("procgroup-wait-" + started.pid()).start(this::awaitExit);
    }

    private static boolean isNull(MemorySegment handle) {
        return handle == null || handle.equals(MemorySegment.NULL);
    }

    /** The waiting thread: completes {@link #exit} whatever happens, so no wait can hang on a dead thread. */
    private void awaitExit() {
        try (Arena arena = Arena.ofConfined()) {
            if (win32.waitForSingleObject(started.process(), Kernel32.INFINITE()) == Kernel32.WAIT_FAILED()) {
                exit.completeExceptionally(WindowsErrors.exception("WaitForSingleObject on pid " + pid(), win32.lastError()));
                return; // the handle stays open: the process may still run, and close() may still end the job
            }
            MemorySegment code = arena.allocate(ValueLayout.JAVA_INT);
            if (win32.getExitCodeProcess(started.process(), code)) {
                exit.complete(ExitStatus.exited(code.get(ValueLayout.JAVA_INT, 0)));
            } else {
                exit.completeExceptionally(WindowsErrors.exception("GetExitCodeProcess", win32.lastError()));
            }
            synchronized (this) { // against signalLeader's TerminateProcess on the same handle
                win32.closeHandle(started.process());
            }
        } catch (RuntimeException | Error e) {
            exit.completeExceptionally(e);
            throw e;
        }
    }

    @Override
    public long pid() {
        return started.pid();
    }

    @Override
    public Optional<ProcessHandle> handle() {
        return handle;
    }

    @Override
    public long processGroupId() {
        return started.pid(); // CREATE_NEW_PROCESS_GROUP: the console group's id is the child's pid
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    @Override
    public Optional<ResourceUsage> resourceUsage() {
        return Optional.empty(); // not measured on Windows yet
    }

    @Override
    public boolean signalGroup(Signal signal) {
        boolean running = treeRuns();
        send(signal);
        return running;
    }

    /** The job holds the whole tree: whatever is sent reaches all of it. */
    private void send(Signal signal) {
        switch (signal) {
            case KILL -> terminateJob();
            case CONT -> {
                // Resume: nothing of the tree was stopped by procgroup (Windows has no SIGSTOP to send).
            }
            case TERM, INT -> {
                if (!win32.generateConsoleCtrlEvent(Kernel32.CTRL_BREAK_EVENT(), started.pid())) {
                    terminateJob(); // no console shared with the child: there is no polite way
                }
            }
            default -> throw new UnsupportedOperationException(signal.signalName() + " has no Windows equivalent "
                    + "(procgroup sends TERM, INT and KILL on Windows)");
        }
    }

    /**
     * @return false: {@code destroy()} is a CTRL_BREAK only for a console program sharing the
     *         JVM's console; any other child is terminated (the JDK's Windows Process says false too)
     */
    @Override
    public boolean supportsNormalTermination() {
        return false;
    }

    /**
     * @return completed when the job's completion port reports no active process; the job's
     *         accounting is the check ({@link #treeRuns()}), as the message is not guaranteed
     */
    public java.util.Optional<CompletableFuture<Void>> emptied() {
        return emptied.isCompletedExceptionally() ? Optional.empty() : Optional.of(emptied);
    }

    private void terminateJob() {
        if (!win32.terminateJobObject(started.job(), TERMINATED_EXIT_CODE)) {
            throw new UncheckedIOException(WindowsErrors.exception("TerminateJobObject", win32.lastError()));
        }
    }

    @Override
    public boolean groupHasMembers() {
        return activeProcesses() > 0;
    }

    @Override
    public boolean treeRuns() {
        return !exit.isDone() || !treeEmpty();
    }

    /** The completion port's message if it came, else the job's own count of active processes. */
    private boolean treeEmpty() {
        if (emptied.isDone() && !emptied.isCompletedExceptionally()) {
            return true;
        }
        return activeProcesses() == 0;
    }

    private int activeProcesses() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.allocate(arena);
            if (!win32.queryInformationJobObject(started.job(), Kernel32.JobObjectBasicAccountingInformation(), info)) {
                throw new UncheckedIOException(WindowsErrors.exception("QueryInformationJobObject", win32.lastError()));
            }
            return JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.ActiveProcesses(info);
        }
    }

    /** @return the job's processes (the job is the group), from JobObjectBasicProcessIdList */
    @Override
    public List<ProcessInfo> members() {
        return processList.list(started.pid());
    }

    /** @return the job's processes: no process can leave a job procgroup made (no breakaway) */
    @Override
    public List<ProcessInfo> tree() {
        return members();
    }

    /** The job's console break (or the job terminated where there is no shared console); no SIGCONT needed. */
    @Override
    public int requestStop() {
        return signalTree(Signal.TERM);
    }

    @Override
    public int kill() {
        return signalTree(Signal.KILL);
    }

    @Override
    public int signalTree(Signal signal) {
        int running = treeEmpty() ? 0 : activeProcesses();
        if (running > 0) {
            send(signal);
        }
        return running;
    }

    /**
     * The leader alone: KILL is TerminateProcess on the leader's handle (held until its exit is
     * read, so it cannot name another process). Windows has no polite request for one process
     * (CTRL_BREAK reaches the whole console group), so TERM and INT are refused here, as are the
     * signals with no Windows equivalent.
     */
    @Override
    public boolean signalLeader(Signal signal) {
        if (signal != Signal.KILL) {
            throw new UnsupportedOperationException("signalLeader(" + signal + "): on Windows only KILL can reach the "
                    + "leader alone (CTRL_BREAK, the polite request, reaches its whole console group)");
        }
        synchronized (this) { // against awaitExit closing the process handle
            if (exit.isDone()) {
                return false;
            }
            if (!jobs.terminateProcess(started.process(), TERMINATED_EXIT_CODE)) {
                throw new UncheckedIOException(WindowsErrors.exception("TerminateProcess", win32.lastError()));
            }
            return true;
        }
    }

    @Override
    public Containment containment() {
        return Containment.JOB_OBJECT; // every Windows tree is in a Job Object, whatever was asked
    }
}
