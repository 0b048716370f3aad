package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.ProcTable.ProcessKey;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The process group of one tree, and the reuse check: which processes in a group of that
 * number are provably in this tree's group, and when {@code killpg} may be used.
 *
 * <p>While the group is <em>pinned</em>, its number is this tree's: the leader or the
 * parent-death sentinel (itself a member) is unreaped, and Linux does not reuse a number while
 * any process, a zombie too, has it as pid, group or session. {@code killpg} is then sent under
 * the pinning process's lock (see {@link OwnedPid}), so the pin cannot go away in between.
 *
 * <p>Once nothing pins it, {@code killpg} is never sent again (the last member could be reaped
 * and the number reused between any check and the call). Members are then signalled one by one
 * (see {@link PidSignals}), and only if a listing proves the group is still this tree's: it
 * shows a <em>witness</em>, a member that started before the pins went away, give or take
 * {@link #SLACK_TICKS} (or was seen in the
 * tree before), and that witness is still there, same start time, same group, after the listing
 * ended. A reused group is created by a process whose pid is the number, after the number was
 * freed, so every member of a reused group started after the pins went away (or is a process
 * that deliberately joined a foreign group of its own session with setpgid); and while the
 * witness stays in the group it keeps the number, so every process the listing saw in a group
 * of that number was in this tree's group. Without a witness nothing in the group is touched:
 * a group whose old members have all gone and whose new ones cannot be told from strangers is
 * left alone, the safe side.
 */
final class TreeGroup {
    /**
     * How many ticks after the (early-rounded) release tick a member may have started and still be
     * a witness. A shell that forks a background job and exits at once leaves a member started in
     * the very tick its leader is reaped in, the common case that must be ended. A stranger's
     * group of the same number within these 30 ms would need the pid counter to come round to the
     * number again: a wrap of the whole pid space (pid_max, at least 32768 forks) in 30 ms, or a
     * privileged write to /proc/sys/kernel/ns_last_pid timed to that window.
     */
    static final long SLACK_TICKS = 2;

    /** {@link #killWhilePinned}'s answer when nothing pins the group. */
    static final int NOT_PINNED = Integer.MIN_VALUE;

    private final int pgid;
    private final OwnedPid leader;
    private final OwnedPid sentinel; // null unless killOnParentDeath
    private volatile boolean ended; // the group was seen empty after the pins went away: never ours again

    TreeGroup(int pgid, OwnedPid leader, OwnedPid sentinel) {
        this.pgid = pgid;
        this.leader = leader;
        this.sentinel = sentinel;
    }

    int pgid() {
        return pgid;
    }

    /** @return whether an unreaped leader or sentinel holds the number */
    boolean isPinned() {
        return !leader.isReaped() || (sentinel != null && !sentinel.isReaped());
    }

    /** @return killpg's result (0 or -errno) if the group was pinned while it was sent, else {@link #NOT_PINNED} */
    int killWhilePinned(int signal) {
        int result = leader.killpgWhileUnreaped(pgid, signal, NOT_PINNED);
        if (result == NOT_PINNED && sentinel != null) {
            result = sentinel.killpgWhileUnreaped(pgid, signal, NOT_PINNED);
        }
        return result;
    }

    /**
     * @return whether the group has certainly no process left (killpg with signal 0, which delivers
     *         nothing, finds none); once unpinned and empty, the group is over for good
     */
    boolean isEmptyForGood() {
        if (ended) {
            return true;
        }
        boolean empty = !isPinned() && Posix.killpg(pgid, 0) == -LibC.ESRCH();
        if (empty) {
            ended = true;
        }
        return empty;
    }

    /**
     * Decides, after {@code snapshot} was taken, which of its processes are in this tree's group.
     *
     * @param remembered processes seen in the tree before
     */
    Predicate<Stat> members(ProcTable.Snapshot snapshot, Predicate<ProcessKey> remembered) {
        if (isPinned()) {
            return new InGroup(pgid, true); // pinned now, so pinned all through the listing
        }
        if (ended) {
            return InGroup.NONE;
        }
        Optional<Stat> witness = witness(snapshot.processes(), pgid, releasedTick(), remembered);
        if (witness.isPresent() && stillInGroup(witness.get())) {
            return new InGroup(pgid, false);
        }
        return InGroup.NONE;
    }

    /**
     * {@link #members}'s answer: the processes in group {@code pgid}, the one whose pid is the
     * number among them only while the leader holds it (once reaped, a process with its number is
     * a newcomer); or none. A class, not lambdas (see "Code that runs cold" in package-info).
     */
    private static final class InGroup implements Predicate<Stat> {
        static final InGroup NONE = new InGroup(-1, false);

        private final long pgid; // -1 for none: no process is in a group of that number
        private final boolean leaderHeld;

        InGroup(long pgid, boolean leaderHeld) {
            this.pgid = pgid;
            this.leaderHeld = leaderHeld;
        }

        @Override
        public boolean test(Stat s) {
            return pgid >= 0 && s.pgid() == pgid && (leaderHeld || s.pid() != pgid);
        }
    }

    /** @return the boot-clock tick at which the last pin went away, rounded down */
    private long releasedTick() {
        long released = leader.reapedAtNanos();
        if (sentinel != null && sentinel.reapedAtNanos() - released > 0) {
            released = sentinel.reapedAtNanos();
        }
        return BootClock.tickAt(released);
    }

    private boolean stillInGroup(Stat witness) {
        Optional<Stat> now = ProcTable.stat(witness.pid());
        return now.isPresent() && now.get().startTime() == witness.startTime() && now.get().pgid() == pgid;
    }

    /**
     * The pure part of the reuse check, on a recorded listing.
     *
     * @param all          a listing
     * @param pgid         the group's number
     * @param releasedTick the boot tick at which nothing pinned the number any more
     * @param remembered   processes seen in the tree before
     * @return a process of group {@code pgid} that proves the group is the tree's, if the listing has one
     */
    static Optional<Stat> witness(List<Stat> all, long pgid, long releasedTick, Predicate<ProcessKey> remembered) {
        for (Stat s : all) {
            // pid == pgid: the leader is reaped, so a process with its number is a newcomer.
            if (s.pgid() == pgid && s.pid() != pgid
                    && (s.startTime() <= releasedTick + SLACK_TICKS || remembered.test(s.key()))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
