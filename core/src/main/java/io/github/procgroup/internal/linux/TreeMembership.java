package io.github.procgroup.internal.linux;

import io.github.procgroup.Containment;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.Signal;
import io.github.procgroup.internal.linux.ProcTable.Snapshot;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How {@link LinuxProcess} finds, signals and waits for the processes of its tree: one strategy per
 * containment level, chosen once at spawn. {@link GroupMembership} lists the process group and the
 * processes descending from it in /proc; {@link CgroupMembership} reads the child's leaf cgroup,
 * which is exact. Reaping the leader and the parent-death sentinel stay with {@link LinuxProcess}.
 */
interface TreeMembership {
    /** What a {@link #signalTree} round found. */
    record Signalled(int running, boolean over) {
    }

    /**
     * @return whether the tree is over, decided without a listing; false if it takes one to know
     */
    boolean goneWithoutTrace();

    /**
     * @return whether the tree is over in {@code snapshot} (a cgroup needs no snapshot): the leader
     *         reaped and nothing of it running or waiting for this JVM to reap it
     */
    boolean isOver(Snapshot snapshot);

    /** @return whether {@code signal} reached a member of the group (or cgroup) */
    boolean signalGroup(Signal signal);

    /**
     * @return whether the unreaped leader is no member of the group any more: it moved itself to
     *         another group of its session (setpgid), where {@link #signalGroup} does not reach it;
     *         always false for a cgroup, whose signal reaches it wherever its group is
     */
    boolean leaderLeftGroup();

    /** @return whether any process but the sentinel is left in the group (or cgroup) */
    boolean groupHasMembers();

    /** @return whether anything of the tree still runs (the unreaped leader counts) */
    boolean treeRuns();

    /**
     * @return whether the last {@link #treeRuns} that answered false found the tree over, as
     *         {@link #isOver} decides; false if it did not know (then a kill round decides)
     */
    boolean overAtLastListing();

    /**
     * Waits by event for the processes the last listing found running.
     *
     * @return false if there is nothing to wait on that way (the caller then waits otherwise)
     */
    boolean awaitListedExit(long nanos) throws InterruptedException;

    /**
     * Waits by event for the processes the last listing found running, and decides from that alone
     * whether the tree is over, where that is exact (see {@link GroupMembership#awaitListedEnd}).
     *
     * @return true if the tree is certainly over; false if it takes another listing to know
     */
    boolean awaitListedEnd(long nanos) throws InterruptedException;

    /** @return the running members of the group (or cgroup) */
    List<ProcessInfo> members();

    /** @return every running process of the tree */
    List<ProcessInfo> tree();

    /** Sends each of {@code signals} in turn to the whole tree, on one listing. */
    Signalled signalTree(Signal... signals);

    /** @return the containment this strategy gives */
    Containment containment();

    /** @return the kernel's "tree empty" event, where there is one */
    Optional<CompletableFuture<Void>> emptied();
}
