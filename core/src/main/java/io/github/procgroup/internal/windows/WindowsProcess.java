package io.github.procgroup.internal.windows;

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
 * {@code terminate()}'s TERM, CONT, KILL sequence works unchanged. The leader's exit is
 * noticed by a thread per child blocked in WaitForSingleObject (Windows has no pidfd; a
 * thread-pool wait would save the thread).
 */
final class WindowsProcess implements ChildProcess {
    /** The exit code TerminateJobObject gives every process of a killed tree. */
    static final int TERMINATED_EXIT_CODE = 1;

    private final Win32 win32;
    private final WindowsSpawner.Started started;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final Optional<ProcessHandle> handle;

    WindowsProcess(Win32 win32, WindowsSpawner.Started started) {
        this.win32 = win32;
        this.started = started;
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
            win32.closeHandle(started.process());
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
            default -> throw new UnsupportedOperationException(signal.signalName() + " has no Windows equivalent");
        }
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
        return !exit.isDone() || activeProcesses() > 0;
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

    @Override
    public List<ProcessInfo> members() {
        throw new UnsupportedOperationException("members() is not implemented on Windows yet");
    }

    @Override
    public List<ProcessInfo> tree() {
        throw new UnsupportedOperationException("tree() is not implemented on Windows yet");
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
        int running = activeProcesses();
        if (running > 0) {
            send(signal);
        }
        return running;
    }

    @Override
    public boolean signalLeader(Signal signal) {
        return !exit.isDone() && signalGroup(signal);
    }
}
