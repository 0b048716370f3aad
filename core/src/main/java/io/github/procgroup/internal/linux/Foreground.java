package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The JVM's controlling terminal handed to a child's process group while it runs, as a shell's
 * job control does: {@code tcsetpgrp} to the child's group at start, back to the group that had
 * it when the leader is reaped.
 *
 * <p>tcsetpgrp from a process group that is not the terminal's foreground group raises SIGTTOU,
 * which would stop the whole JVM; POSIX lets the call through when the caller blocks SIGTTOU, so
 * every call here blocks it in the calling thread for the call's duration, as shells do.
 */
final class Foreground {
    private final int terminalFd;
    private final int previousGroup;

    private Foreground(int terminalFd, int previousGroup) {
        this.terminalFd = terminalFd;
        this.previousGroup = previousGroup;
    }

    /**
     * Makes {@code childGroup} the foreground group of the JVM's terminal and continues it (it may
     * have read the terminal, and been stopped by SIGTTIN, before it got the foreground).
     *
     * @return what to give back at the reap, or null if the JVM has no terminal on fds 0-2 or its
     *         group is not that terminal's foreground group (then there is nothing to hand over)
     */
    static Foreground take(int childGroup) {
        int self = Posix.getpgrp(); // never fails
        for (int fd = 0; fd <= 2; fd++) {
            if (Posix.isatty(fd) == 1 && Posix.tcgetpgrp(fd) == self) {
                int r = setWithSigttouBlocked(fd, childGroup);
                if (r < 0) {
                    return null; // EPERM: the child already left our session (it cannot, as a new group); nothing handed over
                }
                Posix.killpg(childGroup, LibC.SIGCONT());
                return new Foreground(fd, self);
            }
        }
        return null;
    }

    /** Gives the terminal back to the group that had it, if the child's group still has it. */
    void giveBack(int childGroup) {
        if (Posix.tcgetpgrp(terminalFd) == childGroup || Posix.tcgetpgrp(terminalFd) < 0) {
            setWithSigttouBlocked(terminalFd, previousGroup);
        }
    }

    private static int setWithSigttouBlocked(int fd, int group) {
        try (Arena arena = Arena.ofConfined()) {
            // Through the one downcall shape, as every call of procgroup's: jextract's function
            // holders would link a handle each at the first foreground spawn.
            MemorySegment block = SpawnCalls.allocateSignalSet(arena);
            MemorySegment old = SpawnCalls.allocateSignalSet(arena);
            SpawnCalls.sigEmptySet(block);
            Posix.sigaddset(block, LibC.SIGTTOU());
            Posix.pthreadSigmask(LibC.SIG_BLOCK(), block, old);
            try {
                return Posix.tcsetpgrp(fd, group);
            } finally {
                Posix.pthreadSigmask(LibC.SIG_SETMASK(), old, MemorySegment.NULL);
            }
        }
    }
}
