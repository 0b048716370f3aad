package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.ResourceUsage;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.bindings.linux.rusage;
import io.github.procgroup.bindings.linux.timeval;
import io.github.procgroup.internal.ChildProcess;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A child started by {@link LinuxBackend}: the leader of process group {@code pid}.
 *
 * <p>Reaping and signalling the leader by pid share one lock: until procgroup reaps the leader,
 * the pid cannot be reused (a zombie keeps it), so a signal sent under the lock before the
 * reap can only reach our child.
 */
final class LinuxProcess implements ChildProcess {
    private static final int KIB = 1024;

    private final int pid;
    private final ChildStdio.Streams streams;
    private final Optional<ProcessHandle> handle;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private int pidfd; // guarded by this; -1 if there is none or once reaped
    private boolean reaped; // guarded by this
    private volatile ResourceUsage usage;

    LinuxProcess(int pid, int pidfd, ChildStdio.Streams streams) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.streams = streams;
        // Taken before the exit watcher knows the child: unreaped, even a child that has already
        // exited still has its pid, so the JDK can make a handle for it.
        this.handle = ProcessHandle.of(pid);
    }

    /** @return the pidfd to watch, or -1 if pidfd_open was not available */
    synchronized int pidfd() {
        return pidfd;
    }

    /**
     * Reaps the leader if it has exited (wait4 with WNOHANG on our own pid only; never
     * waitpid(-1), which would steal the JDK's children) and completes {@link #exit()}.
     *
     * @return true if the leader is reaped now or was before
     */
    boolean tryReap() {
        ExitStatus status;
        synchronized (this) {
            if (reaped) {
                return true;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment rawStatus = arena.allocate(ValueLayout.JAVA_INT);
                MemorySegment resources = rusage.allocate(arena);
                int r = Posix.wait4(pid, rawStatus, LibC.WNOHANG(), resources);
                if (r == 0 || r == -LibC.EINTR()) {
                    return false;
                }
                if (r < 0) {
                    // ECHILD: someone else (a waitpid(-1) somewhere in the JVM) reaped our child.
                    markReaped();
                    exit.completeExceptionally(Errno.exception("cannot reap pid " + pid, -r));
                    return true;
                }
                status = ExitStatus.fromWaitStatus(rawStatus.get(ValueLayout.JAVA_INT, 0));
                usage = toResourceUsage(resources);
            }
            markReaped();
        }
        exit.complete(status);
        return true;
    }

    private void markReaped() {
        reaped = true;
        if (pidfd >= 0) {
            Posix.close(pidfd);
            pidfd = -1;
        }
    }

    private static ResourceUsage toResourceUsage(MemorySegment resources) {
        return new ResourceUsage(
                toDuration(rusage.ru_utime(resources)),
                toDuration(rusage.ru_stime(resources)),
                rusage.ru_maxrss(resources) * KIB); // Linux reports ru_maxrss in KiB
    }

    private static Duration toDuration(MemorySegment tv) {
        return Duration.ofSeconds(timeval.tv_sec(tv), timeval.tv_usec(tv) * 1000L);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Optional<ProcessHandle> handle() {
        return handle;
    }

    @Override
    public long processGroupId() {
        return pid; // the child was spawned as the leader of a new group (or session)
    }

    @Override
    public OutputStream stdin() {
        return streams.stdin();
    }

    @Override
    public InputStream stdout() {
        return streams.stdout();
    }

    @Override
    public InputStream stderr() {
        return streams.stderr();
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    @Override
    public Optional<ResourceUsage> resourceUsage() {
        return Optional.ofNullable(usage);
    }

    @Override
    public boolean signalGroup(Signal signal) {
        int r = Posix.killpg(pid, signal.number());
        if (r == -LibC.ESRCH()) {
            return false; // no member left
        }
        check(r, signal.signalName() + " to process group " + pid);
        return true;
    }

    @Override
    public boolean groupHasMembers() {
        // Signal 0 is the cheap check, but it also finds zombies: members that died after being
        // re-parented wait for init (or a subreaper) to reap them. Those are dead, so /proc decides.
        return Posix.killpg(pid, 0) != -LibC.ESRCH() && ProcTable.hasLiveMember(pid);
    }

    @Override
    public synchronized boolean signalLeader(Signal signal) {
        if (reaped) {
            return false;
        }
        // Unreaped, the pid is still ours (see the class comment); the pidfd makes that explicit.
        int r = pidfd >= 0 ? Posix.pidfdSendSignal(pidfd, signal.number()) : Posix.kill(pid, signal.number());
        if (r == -LibC.ESRCH()) {
            return false;
        }
        check(r, signal.signalName() + " to pid " + pid);
        return true;
    }

    private static void check(int result, String what) {
        if (result < 0) {
            ErrnoException e = Errno.exception("cannot send " + what, -result);
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
