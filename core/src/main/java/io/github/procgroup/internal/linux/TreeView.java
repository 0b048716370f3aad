package io.github.procgroup.internal.linux;

import io.github.procgroup.internal.linux.ProcTable.ProcessKey;
import io.github.procgroup.internal.linux.ProcTable.Snapshot;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Finds one tree in a /proc listing: its group's members as {@link TreeGroup} decides them, what
 * descends from them through confirmed parent links ({@link ProcessTree}), the escapees in its
 * {@link TreeMemory}, which it keeps up to date, and a pipeline's later stages.
 */
final class TreeView {
    private final OwnedPid leader;
    private final TreeGroup group;
    private final TreeMemory memory = new TreeMemory();
    // A pipeline's later stages (see JoinedStage): children of the JVM, not of the leader, and the
    // tree's wherever their group is (a stage may move itself out of the group), as the leader is.
    private final List<OwnedPid> stages = new CopyOnWriteArrayList<>();
    private final long hidden; // the parent-death sentinel's pid, procgroup's own, or -1
    private final String treeToken; // PROCGROUP_TREE in the child's environment, or null

    TreeView(OwnedPid leader, TreeGroup group, long hidden, String treeToken) {
        this.leader = leader;
        this.group = group;
        this.hidden = hidden;
        this.treeToken = treeToken;
    }

    /**
     * @return whether no process outside the group is known as the tree's: no remembered escapee,
     *         no unreaped later stage
     */
    boolean knowsNothingOutsideTheGroup() {
        if (!memory.isEmpty()) {
            return false;
        }
        for (OwnedPid stage : stages) { // asked at every reap: a loop, no stream
            if (!stage.isReaped()) {
                return false;
            }
        }
        return true;
    }

    /** Makes a pipeline's later stage part of this tree, the first stage's, until its reap. */
    void addStage(OwnedPid stage) {
        stages.add(stage);
    }

    /** @return which processes of {@code snapshot} are members of the tree's group (decided now, after the listing) */
    Predicate<Stat> groupMembers(Snapshot snapshot) {
        return group.members(snapshot, memory);
    }

    /**
     * Lists what can hold this tree's processes: only the tree's own processes and where its
     * orphans can have gone ({@link TreeWalk}), not the whole host. The host-wide listing is kept
     * where the walk cannot stand in for it: when the kernel has no children files, and when the
     * JVM is a child subreaper (its adopted orphans are then traced by their environment mark,
     * which only the orphan tracker's host-wide rounds read).
     *
     * @throws IllegalStateException naming the cause if /proc cannot be read
     */
    Snapshot snapshot() {
        return snapshot(false);
    }

    /**
     * As {@link #snapshot()}, for a kill round: a tree's own listing then also vouches, where it
     * can, that it holds the whole tree ({@link Snapshot#pidCursor}, see {@link TreeWalk}).
     */
    Snapshot snapshotForEnd() {
        return snapshot(true);
    }

    private Snapshot snapshot(boolean forEnd) {
        if (!TreeWalk.available() || AdoptedOrphans.running() || Prctl.isSubreaper()) {
            return ProcTable.snapshot();
        }
        List<TreeWalk.Root> roots = new ArrayList<>();
        if (!leader.isReaped()) {
            roots.add(new TreeWalk.Root(leader.pid(), TreeWalk.ANY_START)); // unreaped: the pid is certainly it
        }
        for (ProcessKey key : memory.all()) {
            roots.add(new TreeWalk.Root(key.pid(), key.startTime()));
        }
        for (OwnedPid stage : stages) {
            if (!stage.isReaped()) {
                // As the leader's: unreaped, so the pid is certainly the stage.
                roots.add(new TreeWalk.Root(stage.pid(), TreeWalk.ANY_START));
            }
        }
        return TreeWalk.list(roots, group.pgid(), forEnd);
    }

    /** Finds the tree in {@code snapshot}, the sentinel left out; with {@code remember}, remembers its processes. */
    List<Stat> find(Snapshot snapshot, boolean remember) {
        if (remember && treeToken != null) {
            for (Stat s : snapshot.processes()) {
                if (treeToken.equals(AdoptedOrphans.adoptedToken(s))) {
                    memory.add(s.key()); // an escapee adopted before a scan saw it in the tree
                }
            }
        }
        // The unreaped leader is the tree's wherever its group is (it may have moved itself to another
        // group of its session with setpgid): while unreaped its pid is certainly it, decided here,
        // after the listing. So are a pipeline's unreaped later stages.
        List<Stat> tree = ProcessTree.find(snapshot.processes(), new Members(groupMembers(snapshot)), hidden, memory,
                new ParentCheck());
        if (remember) {
            // The leader is not remembered: it is known for as long as it is unreaped, and after its
            // reap its pid names nothing of the tree. So a tree of one process leaves the memory
            // empty, and its end is decided without a listing (killpg(pgid, 0), see LinuxProcess).
            List<Stat> others = new ArrayList<>(tree.size());
            for (Stat s : tree) {
                if (s.pid() != leader.pid()) {
                    others.add(s);
                }
            }
            memory.update(snapshot, others);
        }
        return tree;
    }

    /**
     * The processes a search starts from: the group's members, and the unreaped leader and later
     * stages wherever their group is. Classes, not lambdas, here and below (see "Code that runs
     * cold" in package-info).
     */
    private final class Members implements Predicate<Stat> {
        private final Predicate<Stat> inGroup;

        Members(Predicate<Stat> inGroup) {
            this.inGroup = inGroup;
        }

        @Override
        public boolean test(Stat s) {
            return inGroup.test(s) || isUnreaped(leader, s) || isUnreapedStage(s);
        }
    }

    /** @return whether {@code s} is {@code owned}'s process, still unreaped now, after the listing that read it */
    private static boolean isUnreaped(OwnedPid owned, Stat s) {
        return s.pid() == owned.pid() && !owned.isReaped();
    }

    /** As {@link #isUnreaped}, for any of the later stages: asked of every process listed, so a loop, no stream. */
    private boolean isUnreapedStage(Stat s) {
        for (OwnedPid stage : stages) {
            if (isUnreaped(stage, s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a listed parent is still the process listed: the leader needs no check while unreaped
     * (it holds its pid); any other parent is read again. {@link ProcessTree#find} asks once per
     * parent and keeps the answer, so this keeps none.
     */
    private final class ParentCheck implements Predicate<Stat> {
        @Override
        public boolean test(Stat parent) {
            return (parent.pid() == leader.pid() && !leader.isReaped()) || PidSignals.sameProcess(parent);
        }
    }
}
