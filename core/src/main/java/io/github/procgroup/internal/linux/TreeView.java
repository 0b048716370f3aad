package io.github.procgroup.internal.linux;

import io.github.procgroup.internal.linux.ProcTable.Snapshot;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Finds one tree in a /proc listing: its group's members as {@link TreeGroup} decides them, what
 * descends from them through confirmed parent links ({@link ProcessTree}), and the escapees in its
 * {@link TreeMemory}, which it keeps up to date.
 */
final class TreeView {
    private final OwnedPid leader;
    private final TreeGroup group;
    private final TreeMemory memory = new TreeMemory();
    private final long hidden; // the parent-death sentinel's pid, procgroup's own, or -1
    private final String treeToken; // PROCGROUP_TREE in the child's environment, or null

    TreeView(OwnedPid leader, TreeGroup group, long hidden, String treeToken) {
        this.leader = leader;
        this.group = group;
        this.hidden = hidden;
        this.treeToken = treeToken;
    }

    /** @return whether no process outside the group is remembered as the tree's */
    boolean remembersNothing() {
        return memory.isEmpty();
    }

    /** @return which processes of {@code snapshot} are members of the tree's group (decided now, after the listing) */
    Predicate<Stat> groupMembers(Snapshot snapshot) {
        return group.members(snapshot, memory::contains);
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
        memory.forEach(key -> roots.add(new TreeWalk.Root(key.pid(), key.startTime())));
        // Later stages of a pipeline are members that are children of the JVM, not of the leader.
        // Any pipeline's: a stage of another group is read, then left out by the group check.
        for (long stage : LiveTrees.joinedStages()) {
            roots.add(new TreeWalk.Root(stage, TreeWalk.ANY_START));
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
        // after the listing.
        Predicate<Stat> members = groupMembers(snapshot).or(s -> s.pid() == leader.pid() && !leader.isReaped());
        List<Stat> tree = ProcessTree.find(snapshot.processes(), members, hidden, memory::contains, parentConfirmation());
        if (remember) {
            // The leader is not remembered: it is known for as long as it is unreaped, and after its
            // reap its pid names nothing of the tree. So a tree of one process leaves the memory
            // empty, and its end is decided without a listing (killpg(pgid, 0), see LinuxProcess).
            memory.update(snapshot, tree.stream().filter(s -> s.pid() != leader.pid()).toList());
        }
        return tree;
    }

    /** The leader needs no check while unreaped (it holds its pid); any other parent is read again. */
    private Predicate<Stat> parentConfirmation() {
        Map<Long, Boolean> cache = new HashMap<>();
        return parent -> (parent.pid() == leader.pid() && !leader.isReaped())
                || cache.computeIfAbsent(parent.pid(), p -> PidSignals.sameProcess(parent));
    }
}
