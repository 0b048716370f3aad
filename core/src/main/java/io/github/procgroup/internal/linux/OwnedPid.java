package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.MemorySegment;
import java.util.function.IntUnaryOperator;

/**
 * A child of the JVM that procgroup spawned and reaps itself (a leader or a parent-death
 * sentinel): its pid, its pidfd while unreaped, and the lock that makes signalling it by pid safe.
 *
 * <p>The pid-safety rule: Linux does not hand out a pid again while any process, a zombie too,
 * has it as its pid, group or session. Until this object reaps the child, the child (at worst
 * its zombie) holds the number, so a signal sent under this object's lock, which the reap also
 * takes, can only reach this child, or, for {@code killpg}, the group it leads. The pidfd makes
 * the same guarantee explicit where the kernel has pidfds.
 */
final class OwnedPid {
    /** What one reap attempt found. */
    enum Reap { RUNNING, REAPED_NOW, ALREADY_REAPED, LOST }

    /** Null for pidfd_open; replaced only by tests of the no-pidfd path (see {@link #openPidfd}). */
    private static volatile IntUnaryOperator pidfdOpener;

    private final int pid;
    private int pidfd; // guarded by this; -1 if there is none or once reaped
    private boolean reaped; // guarded by this
    private volatile long reapedAtNanos; // System.nanoTime() read just before the reaping wait4

    OwnedPid(int pid, int pidfd) {
        this.pid = pid;
        this.pidfd = pidfd >= 0 ? pidfd : -1;
    }

    int pid() {
        return pid;
    }

    /**
     * Opens a pidfd for a child just spawned (unreaped, so the pid is certainly it).
     *
     * @return the pidfd, or -errno: ENOSYS on old kernels or C libraries, EMFILE when out of fds;
     *         the exit watcher then waits for that child on a thread of its own
     */
    static int openPidfd(int pid) {
        IntUnaryOperator opener = pidfdOpener;
        return opener == null ? Posix.pidfdOpen(pid, 0) : opener.applyAsInt(pid);
    }

    /** Test seam: makes {@link #openPidfd} answer {@code opener} (null restores pidfd_open). */
    static void replacePidfdOpener(IntUnaryOperator opener) {
        pidfdOpener = opener;
    }

    synchronized int pidfd() {
        return pidfd;
    }

    synchronized boolean isReaped() {
        return reaped;
    }

    /** @return when it was reaped (a {@link System#nanoTime()} reading from just before), once reaped */
    long reapedAtNanos() {
        return reapedAtNanos;
    }

    /**
     * Reaps it if it has exited: wait4 with WNOHANG on this pid only (never waitpid(-1), which would
     * steal the JDK's children). {@code status} and {@code usage} receive what wait4 reports.
     *
     * @return what was found; LOST (ECHILD: reaped by someone else) also counts as reaped from now on
     */
    synchronized Reap reap(MemorySegment status, MemorySegment usage) {
        if (reaped) {
            return Reap.ALREADY_REAPED;
        }
        long before = System.nanoTime();
        int r = Posix.wait4(pid, status, LibC.WNOHANG(), usage);
        if (r == 0 || r == -LibC.EINTR()) {
            return Reap.RUNNING;
        }
        reapedAtNanos = before;
        reaped = true;
        if (pidfd >= 0) {
            Posix.close(pidfd);
            pidfd = -1;
        }
        return r < 0 ? Reap.LOST : Reap.REAPED_NOW;
    }

    /**
     * Sends a signal to it, through its pidfd where there is one.
     *
     * @return 0, -ESRCH if it is reaped (or gone), or another -errno
     */
    synchronized int signal(int signal) {
        if (reaped) {
            return -LibC.ESRCH();
        }
        return pidfd >= 0 ? Posix.pidfdSendSignal(pidfd, signal) : Posix.kill(pid, signal);
    }

    /**
     * Whether the process moved itself out of group {@code pgid} (setpgid to another group of its
     * session, or setsid). Asked under the lock: while it is unreaped the pid is this process's
     * (a zombie keeps its group too), so getpgid answers about it and no other process.
     *
     * @return true if it is unreaped and in another group; false if in {@code pgid}, or reaped
     */
    synchronized boolean leftGroup(int pgid) {
        if (reaped) {
            return false; // as if still in pgid
        }
        int now = Posix.getpgid(pid);
        return now >= 0 && now != pgid;
    }

    /**
     * killpg(3) of {@code pgid} while this process is unreaped, under its lock: the group it pins
     * (it leads the group, or is a member) cannot go away between the check and the call.
     *
     * @return killpg's result (0 or -errno), or {@code ifReaped} if it was not sent
     */
    synchronized int killpgWhileUnreaped(int pgid, int signal, int ifReaped) {
        return reaped ? ifReaped : Posix.killpg(pgid, signal);
    }

    /**
     * Applies {@code action} to the pid while it is held (unreaped), so the pid cannot name another process.
     *
     * @return what {@code action} returned, or {@code ifReaped} if it is reaped
     */
    synchronized int whileUnreaped(java.util.function.IntUnaryOperator action, int ifReaped) {
        return reaped ? ifReaped : action.applyAsInt(pid);
    }

    /**
     * Applies {@code action} to the pid while it is held (unreaped).
     *
     * @return what {@code action} returned, or null if it is reaped
     */
    synchronized <T> T whileUnreaped(java.util.function.LongFunction<T> action) {
        return reaped ? null : action.apply(pid);
    }
}
