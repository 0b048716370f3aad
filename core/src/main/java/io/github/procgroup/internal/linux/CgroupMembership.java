package io.github.procgroup.internal.linux;

import io.github.procgroup.Containment;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.Signal;
import io.github.procgroup.internal.linux.ProcTable.Snapshot;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A tree in a leaf cgroup of its own ({@link Containment#CGROUP}): nothing of the tree can be
 * outside the cgroup, so its members are {@code cgroup.procs}, a signal is {@code cgroup.kill} or
 * one per member, and "over" is the leader's reap plus the kernel's {@code populated 0}. No /proc
 * listing, and no remembered escapees.
 */
final class CgroupMembership implements TreeMembership {
    private final CgroupTree cgroup;
    private final OwnedPid leader;

    CgroupMembership(CgroupTree cgroup, OwnedPid leader) {
        this.cgroup = cgroup;
        this.leader = leader;
    }

    @Override
    public boolean goneWithoutTrace() {
        return cgroup.isOver(leader.isReaped()); // the leaf is removed then
    }

    @Override
    public boolean isOver(Snapshot snapshot) {
        return goneWithoutTrace();
    }

    @Override
    public boolean signalGroup(Signal signal) {
        return cgroup.signal(signal.number()) > 0; // the cgroup's members are the group's here
    }

    @Override
    public boolean leaderLeftGroup() {
        return false;
    }

    @Override
    public boolean groupHasMembers() {
        return cgroup.populated();
    }

    @Override
    public boolean treeRuns() {
        return !leader.isReaped() || cgroup.populated();
    }

    @Override
    public boolean overAtLastListing() {
        return goneWithoutTrace(); // exact without a listing: the leader's reap and the kernel's count
    }

    @Override
    public boolean awaitListedExit(long nanos) {
        return false; // the cgroup has its own event, emptied()
    }

    /**
     * Waits for the members the last signal went to by their pidfds, then decides from
     * cgroup.events, read then, which is exact: the kernel's notification of {@code populated 0}
     * comes from a work queue, milliseconds late on a busy host, while a pidfd fires at its
     * process's exit. A process forked or moved in after the listing keeps the cgroup populated
     * (as does a member that outlives the wait, one that ignores SIGTERM): then false, and the
     * caller waits for {@link #emptied()}.
     */
    @Override
    public boolean awaitListedEnd(long nanos) throws InterruptedException {
        CgroupTree.Round round = cgroup.lastRound();
        if (round == null) {
            return false;
        }
        PidfdWait.awaitExitOfPids(round.pids(), round.listedAt(), nanos);
        return goneWithoutTrace(); // the leader's reap, and populated 0 as read now (the leaf is removed then)
    }

    @Override
    public List<ProcessInfo> members() {
        return cgroup.members();
    }

    @Override
    public List<ProcessInfo> tree() {
        return cgroup.members(); // nothing of the tree can be outside its cgroup
    }

    @Override
    public Signalled signalTree(Signal... signals) {
        int[] numbers = new int[signals.length];
        for (int i = 0; i < signals.length; i++) {
            numbers[i] = signals[i].number();
        }
        int listed = cgroup.signal(numbers); // one listing for all, as a process group's round
        return new Signalled(listed, listed == 0 && goneWithoutTrace());
    }

    @Override
    public Containment containment() {
        return Containment.CGROUP;
    }

    @Override
    public Optional<CompletableFuture<Void>> emptied() {
        return cgroup.emptied();
    }
}
