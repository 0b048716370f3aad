package io.github.procgroup.internal.linux;

import io.github.procgroup.internal.linux.ProcTable.ProcessKey;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds one procgroup tree in a /proc snapshot: the members of its process group, every process
 * that descends from them by parent links, and the processes remembered as part of the tree
 * (escapees that left the group and whose parent has died since) with their own descendants.
 */
public final class ProcessTree {
    private ProcessTree() {
    }

    /**
     * @param all        a snapshot of every process
     * @param pgid       the tree's process group
     * @param excluded   a pid that is procgroup's own, not the user's (the parent-death sentinel), or -1
     * @param remembered processes seen in this tree before
     * @return the tree's processes in the snapshot, zombies included
     */
    static List<Stat> find(List<Stat> all, long pgid, long excluded, Set<ProcessKey> remembered) {
        Set<Long> pids = new HashSet<>();
        for (Stat s : all) {
            if (s.pid() != excluded && (s.pgid() == pgid || remembered.contains(s.key()))) {
                pids.add(s.pid());
            }
        }
        addDescendants(all, pids, excluded);
        List<Stat> tree = new ArrayList<>(pids.size());
        for (Stat s : all) {
            if (pids.contains(s.pid())) {
                tree.add(s);
            }
        }
        return tree;
    }

    /**
     * Adds to {@code pids} every process of {@code all} that descends from one of them by parent
     * links, leaving out {@code excluded} (and what descends only from it).
     */
    public static void addDescendants(List<Stat> all, Set<Long> pids, long excluded) {
        boolean grew = !pids.isEmpty();
        while (grew) { // add children of the set until no new one turns up
            grew = false;
            for (Stat s : all) {
                if (s.pid() != excluded && pids.contains(s.ppid()) && pids.add(s.pid())) {
                    grew = true;
                }
            }
        }
    }

    /** @return the processes of {@code tree} that still run */
    static List<Stat> live(List<Stat> tree) {
        return tree.stream().filter(s -> !s.isZombie()).toList();
    }
}
