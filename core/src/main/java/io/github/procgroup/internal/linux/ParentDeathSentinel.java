package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kills a group when the JVM dies, even by SIGKILL, with no code of ours running then.
 *
 * <p>It uses the POSIX orphaned-process-group rule: when a process group becomes orphaned (no
 * member has a parent in another group of the same session) and one of its members is stopped,
 * the kernel sends SIGHUP and then SIGCONT to every member. While the JVM lives, its children
 * in the group give the group a parent in the JVM's session; when the JVM dies they are
 * re-parented to init (or a subreaper) and the group is orphaned.
 *
 * <p>The stopped member is this sentinel: a {@code /bin/sh} in the child's group that ignores
 * SIGHUP (and the other signals a group receives when it is asked to end), stops itself, and
 * each time it is continued checks its parent: if that is still the JVM (someone sent SIGCONT
 * to the group), it stops again; if not, the JVM is gone and it SIGKILLs its whole group,
 * reaching also members that ignore SIGHUP. SIGKILL to the group ends it like every member.
 */
final class ParentDeathSentinel implements ExitWatcher.Watched {
    private static final String SCRIPT = "trap '' HUP INT QUIT TERM USR1 USR2 PIPE ALRM TSTP TTIN TTOU; "
            + "while kill -STOP $$; do read -r _ _ _ ppid _ < /proc/$$/stat; "
            + "[ \"$ppid\" = \"$1\" ] || kill -KILL 0; done";
    private static final long STOP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final int pid;
    private int pidfd; // guarded by this; -1 if none or once reaped
    private boolean reaped; // guarded by this

    private ParentDeathSentinel(int pid, int pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
    }

    /**
     * Starts a sentinel in group {@code pgid} and waits until it has stopped itself, so the group
     * is protected when this returns.
     *
     * @throws ErrnoException if it cannot be started (EPERM: the group is already gone)
     */
    static ParentDeathSentinel start(int pgid) throws ErrnoException {
        int pid = LinuxBackend.spawnInternal(List.of("/bin/sh", "-c", SCRIPT, "procgroup-sentinel",
                Long.toString(ProcessHandle.current().pid())), pgid);
        int pidfd = Posix.pidfdOpen(pid, 0); // -1 (ENOSYS, EMFILE): the watcher's thread fallback
        ParentDeathSentinel sentinel = new ParentDeathSentinel(pid, pidfd >= 0 ? pidfd : -1);
        ExitWatcher.instance().watch(sentinel);
        sentinel.awaitStopped();
        return sentinel;
    }

    private void awaitStopped() throws ErrnoException {
        long deadline = System.nanoTime() + STOP_TIMEOUT_NANOS;
        while (true) {
            char state = ProcTable.stat(pid).map(ProcTable.Stat::state).orElse('X');
            if (state == 'T') {
                return;
            }
            if (state == 'Z' || state == 'X' || System.nanoTime() - deadline > 0) {
                kill();
                throw Errno.exception("parent-death sentinel " + pid + " did not stop (state " + state + ")",
                        LibC.ESRCH());
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw Errno.exception("interrupted while starting the parent-death sentinel", LibC.EINTR());
            }
        }
    }

    /** @return the sentinel's pid: procgroup's own process, hidden from the user's view of the group */
    @Override
    public long pid() {
        return pid;
    }

    @Override
    public synchronized int pidfd() {
        return pidfd;
    }

    synchronized boolean isReaped() {
        return reaped;
    }

    /** Ends the sentinel (the group needs no protection any more); the exit watcher reaps it. */
    synchronized void kill() {
        if (!reaped) {
            // Unreaped, the pid is still the sentinel's: kill(2) cannot reach another process.
            Posix.kill(pid, LibC.SIGKILL());
        }
    }

    @Override
    public boolean tryReap() {
        synchronized (this) {
            if (reaped) {
                return true;
            }
            int r = Posix.wait4(pid, MemorySegment.NULL, LibC.WNOHANG(), MemorySegment.NULL);
            if (r == 0 || r == -LibC.EINTR()) {
                return false; // still running (or stopped): not reaped
            }
            reaped = true; // reaped now, or ECHILD: reaped by someone else
            if (pidfd >= 0) {
                Posix.close(pidfd);
                pidfd = -1;
            }
            return true;
        }
    }
}
