package io.github.procgroup.internal.linux;

import io.github.procgroup.Containment;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.ProcTable.Snapshot;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A tree held together by its process group ({@link Containment#GROUP}): the group, the processes
 * descending from it, and escapees traced to it, found by {@link TreeView}. No signal leaves it
 * except killpg while the group is pinned ({@link TreeGroup}) and {@link PidSignals} for every
 * other process, each one listed in the tree just before.
 */
final class GroupMembership implements TreeMembership {
    private final OwnedPid leader;
    private final TreeGroup group;
    private final TreeView view;
    private final long sentinelPid; // the parent-death sentinel, hidden from the user's view; -1 if none
    private volatile Listing lastListing; // what the last listing found, or null if none was made
    // What the last treeRuns listing decided. Once over, a tree stays over, so a stale false from a
    // concurrent caller only costs that caller one more listing.
    private volatile boolean overAtLastListing;

    /**
     * What one listing found running, with the listing itself, which {@link #awaitListedEnd} decides from.
     *
     * @param running  the tree's processes that ran
     * @param snapshot the listing they were found in, or null if the end was decided without one
     */
    record Listing(List<Stat> running, Snapshot snapshot) {
        static final Listing NOTHING = new Listing(List.of(), null);

        /** @return when the listing began ({@link Snapshot#takenAt}); long ago if there was none */
        long takenAt() {
            return snapshot != null ? snapshot.takenAt() : System.nanoTime() - Long.MAX_VALUE / 2;
        }
    }

    GroupMembership(OwnedPid leader, TreeGroup group, TreeView view, long sentinelPid) {
        this.leader = leader;
        this.group = group;
        this.view = view;
        this.sentinelPid = sentinelPid;
    }

    /**
     * The common end, decided without a /proc scan: the leader is reaped, no process is left in
     * the group, and nothing outside it is known (no remembered escapee, no sentinel, no subreaper
     * tracking adoptions). An escapee re-parented to init could not be traced any more anyway.
     */
    @Override
    public boolean goneWithoutTrace() {
        return nothingKnownOutsideTheGroup() && group.isEmptyForGood();
    }

    /**
     * @return whether no process outside the group is known to the tree: no remembered escapee, no
     *         unreaped later stage of a pipeline, no sentinel, no subreaper tracking adoptions
     */
    private boolean nothingKnownOutsideTheGroup() {
        return sentinelPid < 0 && view.knowsNothingOutsideTheGroup() && !AdoptedOrphans.running();
    }

    @Override
    public boolean isOver(Snapshot snapshot) {
        return leader.isReaped() && isOver(view.find(snapshot, AdoptedOrphans.running()));
    }

    /** As {@link #isOver(Snapshot)}, given this tree's processes. */
    private boolean isOver(List<Stat> tree) {
        if (!leader.isReaped()) {
            return false;
        }
        for (Stat s : tree) { // loops, not streams, on the way of a tree's end: see "Code that runs cold" in package-info
            if (!s.isZombie() || s.ppid() == SelfPid.PID) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean signalGroup(Signal signal) {
        int r = group.killWhilePinned(signal.number());
        if (r != TreeGroup.NOT_PINNED) {
            if (r == -LibC.ESRCH()) {
                return false; // no member left
            }
            TreeSignals.check(r, signal.signalName() + " to process group " + leader.pid());
            return true;
        }
        if (group.isEmptyForGood()) {
            return false;
        }
        Snapshot snapshot = view.snapshot();
        Predicate<Stat> inGroup = view.groupMembers(snapshot);
        List<Stat> members = new ArrayList<>();
        for (Stat s : ProcessTree.live(snapshot.processes())) {
            if (s.pid() != sentinelPid && inGroup.test(s)) {
                members.add(s);
            }
        }
        return TreeSignals.toEach(members, signal) > 0;
    }

    @Override
    public boolean leaderLeftGroup() {
        return leader.leftGroup(group.pgid());
    }

    @Override
    public boolean groupHasMembers() {
        // Signal 0 is the cheap check, but it also finds zombies: members that died after being
        // re-parented wait for init (or a subreaper) to reap them. Those are dead, so /proc decides.
        // The sentinel is procgroup's, not a member the user started.
        if (Posix.killpg(leader.pid(), 0) == -LibC.ESRCH()) {
            return false;
        }
        Snapshot snapshot = view.snapshot();
        Predicate<Stat> inGroup = view.groupMembers(snapshot);
        for (Stat s : snapshot.processes()) {
            if (inGroup.test(s) && !s.isZombie() && s.pid() != sentinelPid) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean treeRuns() {
        if (!leader.isReaped()) {
            lastListing = null; // no listing: a wait falls back to the clock (the exit future is the leader's event)
            return true;
        }
        Snapshot snapshot = view.snapshotForEnd();
        List<Stat> tree = view.find(snapshot, AdoptedOrphans.running());
        List<Stat> live = ProcessTree.live(tree);
        lastListing = new Listing(live, snapshot);
        overAtLastListing = live.isEmpty() && isOver(tree); // not over while a zombie waits for this JVM's reap
        return !live.isEmpty();
    }

    @Override
    public boolean overAtLastListing() {
        return overAtLastListing;
    }

    /**
     * Waits by event (their pidfds, see {@link PidfdWait}) for the processes the last listing
     * ({@link #signalTree}, {@link #treeRuns}) found running to exit.
     */
    @Override
    public boolean awaitListedExit(long nanos) throws InterruptedException {
        Listing listed = lastListing;
        return listed != null
                && PidfdWait.awaitExit(listed.running(), listed.takenAt(), nanos) != PidfdWait.Outcome.NO_EVENT;
    }

    /**
     * Decides the end from the last listing, by events alone, where that is exact: the listing
     * ({@link TreeWalk}) noticed no process of the tree die while it ran, so it held every process
     * the tree had when it began; the pid cursor ({@link PidCursor}) has not moved since, so no
     * process was created; and each process listed has exited since (its pidfd said so), the
     * leader reaped. Then nothing of the tree can be left, whichever signal was sent.
     *
     * <p>A tree the last round found gone without a trace ({@link #goneWithoutTrace}) is over
     * with no wait at all: {@code terminate()} of a child that has exited by itself lists nothing.
     *
     * <p>Trees with something waiting for this JVM's reap (a pipeline's later stage, an orphan
     * this JVM adopts as a subreaper) or with procgroup's own sentinel take the listing, which
     * knows about those.
     */
    @Override
    public boolean awaitListedEnd(long nanos) throws InterruptedException {
        Listing listed = lastListing;
        if (listed == Listing.NOTHING) {
            // The last round found the tree gone without a trace: the leader reaped, the group empty
            // for good (nothing can join it again), nothing known outside it. Asked again rather
            // than taken from the field, which a concurrent round may have replaced.
            return goneWithoutTrace();
        }
        if (listed == null || listed.snapshot() == null || listed.snapshot().pidCursor() == PidCursor.UNKNOWN
                || sentinelPid >= 0 || AdoptedOrphans.running() || Prctl.isSubreaper()
                || listsOtherChildOfJvm(listed.snapshot())) {
            return false;
        }
        if (PidfdWait.awaitExit(listed.running(), listed.takenAt(), nanos) != PidfdWait.Outcome.ALL_EXITED
                || !leader.isReaped()) {
            return false;
        }
        return PidCursor.unchangedSince(listed.snapshot().pidCursor(), listed.snapshot().takenAt());
    }

    /** @return whether {@code snapshot} shows a child of this JVM other than the leader (a pipeline's stage, an adopted orphan) */
    private boolean listsOtherChildOfJvm(Snapshot snapshot) {
        for (Stat s : snapshot.processes()) {
            if (s.ppid() == SelfPid.PID && s.pid() != leader.pid()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ProcessInfo> members() {
        List<ProcessInfo> members = new ArrayList<>();
        for (Stat s : ProcessTree.live(view.find(view.snapshot(), AdoptedOrphans.running()))) {
            if (s.pgid() == leader.pid()) {
                members.add(s.info());
            }
        }
        return List.copyOf(members);
    }

    @Override
    public List<ProcessInfo> tree() {
        List<ProcessInfo> tree = new ArrayList<>();
        for (Stat s : ProcessTree.live(view.find(view.snapshot(), AdoptedOrphans.running()))) {
            tree.add(s.info());
        }
        return List.copyOf(tree);
    }

    @Override
    public Signalled signalTree(Signal... signals) {
        if (goneWithoutTrace()) {
            lastListing = Listing.NOTHING;
            return new Signalled(0, true);
        }
        Listing alone = leaderAlone();
        if (alone != null) {
            for (Signal signal : signals) {
                signalAloneLeader(signal);
            }
            lastListing = alone;
            return new Signalled(1, false);
        }
        // The listing comes before the group's signal: an escapee is traced through its parent,
        // which the signal may end. At the fd limit the listing retries with FdReserve's spares;
        // if it fails all the same, the pinned group still gets its signal (killpg needs no fd)
        // before the error is thrown, so no error here spares the group.
        Snapshot snapshot;
        try {
            snapshot = view.snapshotForEnd();
        } catch (RuntimeException e) {
            for (Signal signal : signals) {
                TreeSignals.toPinnedGroup(group, signal);
            }
            throw e;
        }
        // Remembered even without a subreaper: an escapee signalled now stays part of the tree after
        // its parent dies, so the next round still sees it until it is dead.
        List<Stat> tree = view.find(snapshot, true);
        List<Stat> live = ProcessTree.live(tree);
        for (Signal signal : signals) {
            // killpg reaches every member, also one that joined after the listing.
            boolean groupReached = TreeSignals.toPinnedGroup(group, signal);
            // Escapees (setsid, setpgid), and the members of an unpinned group: by pid and start time only.
            List<Stat> outside = new ArrayList<>(live.size());
            for (Stat s : live) {
                if (!groupReached || s.pgid() != leader.pid()) {
                    outside.add(s);
                }
            }
            TreeSignals.toEach(outside, signal);
        }
        lastListing = new Listing(live, snapshot);
        return new Signalled(live.size(), isOver(tree));
    }

    /**
     * Knows the tree without a listing when it is the leader alone: the last pid handed out in the
     * namespace ({@link PidCursor}) is the leader's own while the leader is unreaped. An unreaped
     * leader holds its number, so no later process or thread can have been given it: the leader
     * was the last task created, and none of the tree can exist but the leader (a child, a
     * grandchild, a daemon would each have moved the cursor). Read before the signal, kept as the
     * listing for {@link #awaitListedEnd}, which then needs the cursor still there and the leader
     * reaped. Left to the listing: a remembered escapee, a sentinel, a pipeline's later stage (its
     * group is the first stage's), the JVM as a subreaper.
     *
     * @return that listing of nothing but the leader, or null if the tree takes a listing
     */
    Listing leaderAlone() {
        if (!nothingKnownOutsideTheGroup() || group.pgid() != leader.pid() || leader.isReaped()) {
            return null;
        }
        long takenAt = System.nanoTime();
        long cursor = PidCursor.read();
        // Unreaped after the read, so unreaped all through it: the number was the leader's then.
        if (cursor != leader.pid() || leader.isReaped()) {
            return null;
        }
        return new Listing(List.of(), new Snapshot(takenAt, List.of(), Set.of(), cursor));
    }

    /**
     * Signals the tree {@link #leaderAlone} found: killpg, which also reaches a child forked since
     * the cursor's read, and the leader through its pidfd if the group has no member (ESRCH while
     * the leader is unreaped): the leader then moved itself to another group of its session with
     * setpgid, where killpg cannot reach it. Not pinned any more: the leader, all there was, is reaped.
     */
    private void signalAloneLeader(Signal signal) {
        int r = group.killWhilePinned(signal.number());
        if (r == -LibC.ESRCH()) {
            TreeSignals.toLeader(leader, signal); // false if reaped meanwhile: nothing left to reach
        } else if (r != TreeGroup.NOT_PINNED) {
            TreeSignals.check(r, signal.signalName() + " to process group " + group.pgid());
        }
    }

    @Override
    public Containment containment() {
        return Containment.GROUP;
    }

    @Override
    public Optional<CompletableFuture<Void>> emptied() {
        return Optional.empty();
    }
}
