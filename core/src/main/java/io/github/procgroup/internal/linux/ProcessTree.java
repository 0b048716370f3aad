package io.github.procgroup.internal.linux;

import io.github.procgroup.internal.linux.ProcTable.ProcessKey;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds one procgroup tree in a /proc snapshot: the members of its process group (as
 * {@link TreeGroup} decides them), every process that descends from them by parent links, and the
 * processes remembered as part of the tree (escapees that left the group and whose parent has died
 * since) with their own descendants.
 *
 * <p>A listing is not atomic: a parent read early may have died, and its pid been reused, before a
 * child naming that pid was read. So a parent link only counts if {@code parentConfirmed} says the
 * parent is still the process listed (checked after the listing ended).
 */
public final class ProcessTree {
    private ProcessTree() {
    }

    /**
     * @param all             a snapshot of every process
     * @param inGroup         which processes are members of the tree's group (and the unreaped leader and a
     *                        pipeline's unreaped later stages, wherever their group is)
     * @param excluded        a pid that is procgroup's own, not the user's (the parent-death sentinel), or -1
     * @param remembered      processes seen in this tree before
     * @param parentConfirmed whether a listed parent is still the same process
     * @return the tree's processes in the snapshot, zombies included
     */
    static List<Stat> find(List<Stat> all, Predicate<Stat> inGroup, long excluded, Predicate<ProcessKey> remembered,
                           Predicate<Stat> parentConfirmed) {
        Map<Long, Stat> byPid = new HashMap<>();
        Set<Long> pids = new HashSet<>();
        for (Stat s : all) {
            byPid.put(s.pid(), s);
            if (s.pid() != excluded && (inGroup.test(s) || remembered.test(s.key()))) {
                pids.add(s.pid());
            }
        }
        Map<Long, Boolean> confirmed = new HashMap<>();
        boolean grew = !pids.isEmpty();
        while (grew) {
            grew = false;
            for (Stat s : all) {
                if (s.pid() != excluded && !pids.contains(s.pid()) && pids.contains(s.ppid())
                        && isConfirmed(s.ppid(), confirmed, byPid, parentConfirmed)) {
                    pids.add(s.pid());
                    grew = true;
                }
            }
        }
        List<Stat> tree = new ArrayList<>(pids.size());
        for (Stat s : all) {
            if (pids.contains(s.pid())) {
                tree.add(s);
            }
        }
        return tree;
    }

    /** @return {@code parentConfirmed}'s word on the listed parent {@code ppid}, asked once (no lambda: see package-info) */
    private static boolean isConfirmed(long ppid, Map<Long, Boolean> confirmed, Map<Long, Stat> byPid,
                                       Predicate<Stat> parentConfirmed) {
        Boolean known = confirmed.get(ppid);
        if (known == null) {
            known = parentConfirmed.test(byPid.get(ppid));
            confirmed.put(ppid, known);
        }
        return known;
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
        List<Stat> live = new ArrayList<>(tree.size());
        for (Stat s : tree) {
            if (!s.isZombie()) {
                live.add(s);
            }
        }
        return List.copyOf(live);
    }
}
