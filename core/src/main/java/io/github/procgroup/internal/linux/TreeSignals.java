package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The only two ways a signal leaves procgroup for the processes of a tree (see the package
 * documentation, "The pid-safety rule"): {@code killpg} while {@link TreeGroup} pins the group,
 * and {@link PidSignals} for one listed process at a time; the unreaped leader, which holds its
 * pid, through its own pidfd.
 */
final class TreeSignals {
    private TreeSignals() {
    }

    /**
     * @return whether the group was pinned and so got {@code killpg} (ESRCH, no member left, included)
     * @throws UncheckedIOException wrapping an {@link ErrnoException} for another error (EPERM)
     */
    static boolean toPinnedGroup(TreeGroup group, Signal signal) {
        int r = group.killWhilePinned(signal.number());
        if (r == TreeGroup.NOT_PINNED) {
            return false;
        }
        if (r != -LibC.ESRCH()) {
            check(r, signal.signalName() + " to process group " + group.pgid());
        }
        return true;
    }

    /**
     * Signals the leader alone, through its pidfd where it has one (see {@link OwnedPid#signal}).
     *
     * @return false if it is reaped (its pid may be someone else's now), or exiting
     * @throws UncheckedIOException wrapping an {@link ErrnoException} for another error (EPERM)
     */
    static boolean toLeader(OwnedPid leader, Signal signal) {
        int r = leader.signal(signal.number());
        if (r == -LibC.ESRCH()) {
            return false;
        }
        check(r, signal.signalName() + " to pid " + leader.pid());
        return true;
    }

    /**
     * Signals each listed process that is still the one listed; ESRCH (gone, or the pid is someone
     * else's now, who is spared) and EPERM (a setuid escapee) are skipped, as kill(1) would report
     * them one by one while the others still get theirs.
     *
     * @return how many received it
     */
    static int toEach(List<Stat> processes, Signal signal) {
        int delivered = 0;
        for (Stat s : processes) {
            if (PidSignals.send(s, signal.number()) == 0) {
                delivered++;
            }
        }
        return delivered;
    }

    /** @throws UncheckedIOException wrapping an {@link ErrnoException} naming {@code what} if {@code result} is -errno */
    static void check(int result, String what) {
        if (result < 0) {
            ErrnoException e = Errno.exception("cannot send " + what, -result);
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
