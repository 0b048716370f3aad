package io.github.procgroup.cli;

import io.github.procgroup.internal.linux.ProcTable;
import io.github.procgroup.internal.linux.ProcessTree;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The processes procgroup has to end, read from /proc: the members of the command's group and,
 * under {@code --subreaper}, every descendant of this JVM. A process can exit between the listing
 * and the read: it is then simply not listed.
 */
final class Processes {
    static final long SELF = ProcessHandle.current().pid();

    private Processes() {
    }

    /**
     * @param pgid      the command's process group
     * @param adoptions whether to add every descendant of this JVM (they are ours to end under --subreaper)
     * @return the live processes to end, in pid order
     */
    static List<Stat> toEnd(long pgid, boolean adoptions) {
        List<Stat> all = ProcTable.all();
        Set<Long> ours = adoptions ? descendants(all) : Set.of();
        return all.stream()
                .filter(p -> !p.isZombie() && (p.pgid() == pgid || ours.contains(p.pid())))
                .sorted(Comparator.comparingLong(Stat::pid))
                .toList();
    }

    /** @return the live descendants of this JVM */
    static List<Stat> liveDescendants() {
        List<Stat> all = ProcTable.all();
        Set<Long> ours = descendants(all);
        return all.stream().filter(p -> !p.isZombie() && ours.contains(p.pid())).toList();
    }

    /** @return the pids of this JVM's descendants, following parent links */
    private static Set<Long> descendants(List<Stat> all) {
        Set<Long> ours = new HashSet<>(Set.of(SELF));
        ProcessTree.addDescendants(all, ours, -1);
        ours.remove(SELF);
        return ours;
    }

    /** @return this JVM's children that have exited and wait to be reaped */
    static List<Stat> zombieChildren() {
        return ProcTable.all().stream().filter(p -> p.ppid() == SELF && p.isZombie()).toList();
    }

    /** @return whether this JVM has any child left, running or zombie */
    static boolean hasChildren() {
        return ProcTable.all().stream().anyMatch(p -> p.ppid() == SELF);
    }
}
