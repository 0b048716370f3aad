package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Kills a group when the JVM dies, even by SIGKILL, with no code of ours running then.
 *
 * <p>The sentinel is a {@code /bin/sh} in the child's group whose stdin is the read end of a pipe
 * (a "lifeline"); only this JVM holds the write end, opened {@code O_CLOEXEC} so that no other
 * child inherits it. The sentinel ignores SIGHUP and the other signals a group receives when it
 * is asked to end, and blocks reading its stdin. When the JVM dies in any way, the kernel closes
 * the JVM's fds, the read returns end-of-file, and the sentinel SIGKILLs its own group
 * ({@code kill -KILL 0}), members that ignore or handle SIGHUP included. Being a member, it holds
 * the group id, so {@code kill 0} cannot reach a later group that reuses the id.
 *
 * <p>Why not the orphaned-process-group rule alone (a stopped member; the kernel sends SIGHUP and
 * SIGCONT when the group becomes orphaned): the group is orphaned only if the children are
 * re-parented outside the JVM's session. Under a subreaper ancestor in the JVM's session (a
 * container's init, {@code tini -s}, a supervising JVM with {@code Subreaper.enable()}) it never
 * becomes orphaned, and the tree lives on. The pipe does not depend on who adopts the children.
 *
 * <p>While the JVM lives the sentinel, a child of the JVM in another group of the same session,
 * also keeps the group from becoming orphaned when the leader exits before its members.
 */
final class ParentDeathSentinel implements ExitWatcher.Watched {
    /** The signals the sentinel ignores: a group gets them when it is asked to end, or in a job-control session. */
    private static final String IGNORED = "HUP INT QUIT TERM USR1 USR2 PIPE ALRM TSTP TTIN TTOU";
    // "read" fails only at end-of-file: nothing ever writes to the pipe; the loop ignores a line if
    // something did. SIGSTOP/SIGCONT restart the read, so a stopped-and-continued sentinel waits on.
    private static final String SCRIPT = "trap '' " + IGNORED + "; while read -r _; do :; done; kill -KILL 0";
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final int pid;
    private final int lifeline; // the pipe's write end, closed once the sentinel is reaped
    private int pidfd; // guarded by this; -1 if none or once reaped
    private boolean reaped; // guarded by this

    private ParentDeathSentinel(int pid, int lifeline, int pidfd) {
        this.pid = pid;
        this.lifeline = lifeline;
        this.pidfd = pidfd;
    }

    /**
     * Starts a sentinel in group {@code pgid} and waits until it ignores the group's signals, so
     * the group is protected when this returns.
     *
     * @throws ErrnoException if it cannot be started (EPERM: the group is already gone; EMFILE)
     */
    static ParentDeathSentinel start(int pgid) throws ErrnoException {
        int readEnd;
        int writeEnd;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
            // O_CLOEXEC: a child spawned meanwhile by another thread must not hold the write end.
            int r = Posix.pipe2(ends, LibC.O_CLOEXEC());
            if (r < 0) {
                throw Errno.exception("cannot create the parent-death sentinel's pipe", -r);
            }
            readEnd = ends.getAtIndex(ValueLayout.JAVA_INT, 0);
            writeEnd = ends.getAtIndex(ValueLayout.JAVA_INT, 1);
        }
        int pid;
        try {
            // Opening /proc/self/fd/N of a pipe opens that same pipe (and does not block: a writer exists).
            pid = LinuxBackend.spawnInternal(List.of("/bin/sh", "-c", SCRIPT, "procgroup-sentinel"), pgid,
                    new File("/proc/self/fd/" + readEnd));
        } catch (ErrnoException | RuntimeException e) {
            Posix.close(writeEnd); // no sentinel: nothing reads the pipe
            throw e;
        } finally {
            Posix.close(readEnd); // the sentinel has its own copy
        }
        int pidfd = Posix.pidfdOpen(pid, 0); // -1 (ENOSYS, EMFILE): the watcher's thread fallback
        ParentDeathSentinel sentinel = new ParentDeathSentinel(pid, writeEnd, pidfd >= 0 ? pidfd : -1);
        ExitWatcher.instance().watch(sentinel);
        sentinel.awaitReady();
        return sentinel;
    }

    /** Waits until the shell has set its traps: before that, a SIGTERM to the group would end it. */
    private void awaitReady() throws ErrnoException {
        long wanted = 0;
        for (int signal : new int[] {LibC.SIGHUP(), LibC.SIGINT(), LibC.SIGTERM(), LibC.SIGTTOU()}) {
            wanted |= 1L << (signal - 1);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (true) {
            OptionalLong ignored = ignoredSignals(pid);
            if (ignored.isPresent() && (ignored.getAsLong() & wanted) == wanted) {
                return;
            }
            char state = ProcTable.stat(pid).map(ProcTable.Stat::state).orElse('X');
            if (state == 'Z' || state == 'X' || System.nanoTime() - deadline > 0) {
                kill();
                throw Errno.exception("parent-death sentinel " + pid + " did not start (state " + state + ")",
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

    /** @return the SigIgn mask of /proc/PID/status (bit n-1 for signal n), empty if it is gone */
    private static OptionalLong ignoredSignals(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith("SigIgn:")) {
                    return OptionalLong.of(Long.parseUnsignedLong(line.substring(7).trim(), 16));
                }
            }
            return OptionalLong.empty();
        } catch (IOException gone) {
            return OptionalLong.empty();
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
            // Only now: closed while the sentinel ran, the pipe's end-of-file would make it kill the group.
            Posix.close(lifeline);
            return true;
        }
    }
}
