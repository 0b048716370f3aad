package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.GroupPlacement;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Kills a group when the JVM dies, even by SIGKILL, with no code of ours running then.
 *
 * <p>The sentinel is a {@code /bin/sh} in the child's group whose stdin is a pipe: a lifeline
 * whose write end only the JVM holds (O_CLOEXEC, so no child inherits it). The shell ignores the
 * signals a group gets when it is asked to end politely (SIGTERM, SIGHUP, SIGINT...) and blocks
 * reading the pipe. Nothing is ever written; when the JVM dies, however it dies, the kernel
 * closes the write end, the read sees end of file, and the sentinel SIGKILLs its whole group,
 * members that ignore or handle every other signal included. This needs no particular session
 * layout: unlike the orphaned-process-group rule, it also works when a subreaper in the JVM's
 * session adopts the children. SIGKILL to the group (close(), terminate()) ends the sentinel
 * with everyone else. While unreaped, the sentinel, a member, also pins the group's number
 * (see {@link TreeGroup}).
 */
final class ParentDeathSentinel implements ExitWatcher.Watched {
    private static final String SCRIPT = "trap '' HUP INT QUIT TERM USR1 USR2 PIPE ALRM TSTP TTIN TTOU; "
            + "read -r _; kill -KILL 0";

    private final OwnedPid owned;
    private int lifeline; // guarded by owned's lock (taken in tryReap); the pipe's write end, -1 once closed

    private ParentDeathSentinel(OwnedPid owned, int lifeline) {
        this.owned = owned;
        this.lifeline = lifeline;
    }

    /**
     * Starts a sentinel in group {@code pgid}. It protects the group from the moment it exists:
     * if the JVM dies before the shell reaches its {@code read}, the read sees end of file at once.
     *
     * @throws ErrnoException if it cannot be started (EPERM: the group is gone or in another session)
     */
    static ParentDeathSentinel start(int pgid) throws ErrnoException {
        LinuxBackend.Helper helper = LinuxBackend.spawnHelper(List.of("/bin/sh", "-c", SCRIPT, "procgroup-sentinel"),
                new GroupPlacement.JoinGroup(pgid));
        int pidfd = OwnedPid.openPidfd(helper.pid()); // -errno (ENOSYS, EMFILE): the watcher's thread fallback
        ParentDeathSentinel sentinel = new ParentDeathSentinel(new OwnedPid(helper.pid(), pidfd), helper.stdinPipe());
        ExitWatcher.instance().watch(sentinel);
        return sentinel;
    }

    /** @return the sentinel's pid: procgroup's own process, hidden from the user's view of the group */
    @Override
    public long pid() {
        return owned.pid();
    }

    @Override
    public int pidfd() {
        return owned.pidfd();
    }

    /** @return the pid ownership, which also pins the group while unreaped */
    OwnedPid owned() {
        return owned;
    }

    boolean isReaped() {
        return owned.isReaped();
    }

    /** Ends the sentinel (the group needs no protection any more); the exit watcher reaps it. */
    void kill() {
        owned.signal(LibC.SIGKILL()); // unreaped, the pid is still the sentinel's
    }

    @Override
    public boolean tryReap() {
        synchronized (owned) {
            if (owned.reap(MemorySegment.NULL, MemorySegment.NULL) == OwnedPid.Reap.RUNNING) {
                return false;
            }
            if (lifeline >= 0) {
                // Only now: closed earlier, the end of file would make the sentinel kill the group.
                Posix.close(lifeline);
                lifeline = -1;
            }
            return true;
        }
    }

    @Override
    public void failed(RuntimeException cause) {
        // Nothing waits for the sentinel: the leader's handle reports its own failures.
    }
}
