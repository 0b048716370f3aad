package io.github.procgroup.internal.portable;

import io.github.procgroup.ProcessInfo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes of one child's tree as the JDK can see them: the leader, what
 * {@link ProcessHandle#descendants()} finds below it by parent links, and every process seen
 * in the tree by an earlier listing that still runs (with its own descendants).
 *
 * <p>Remembering matters because a process whose parent exits is re-parented (to init, or a
 * subreaper) and no parent link leads to it any more. It can only be remembered if a listing ran
 * while its parent was alive: one that was orphaned before the first listing cannot be found.
 * {@link ProcessHandle} carries the process's start time where the OS has one, so a remembered
 * handle never names a process that later reused the pid ({@code isAlive} and {@code destroy}
 * check it).
 */
final class DescendantTree {
    private final ProcessHandle leader;
    /** Seen in the tree and maybe still running; pruned of the dead on each listing. */
    private final Set<ProcessHandle> remembered = ConcurrentHashMap.newKeySet();

    DescendantTree(ProcessHandle leader) {
        this.leader = leader;
    }

    /** @return the leader while it runs, and its descendants by parent links */
    List<ProcessHandle> members() {
        List<ProcessHandle> members = new ArrayList<>();
        if (leader.isAlive()) {
            members.add(leader);
        }
        leader.descendants().forEach(process -> {
            members.add(process);
            remembered.add(process);
        });
        return members;
    }

    /** @return the members, and the remembered processes that still run with their descendants */
    List<ProcessHandle> all() {
        Set<ProcessHandle> tree = new LinkedHashSet<>(members());
        remembered.removeIf(process -> !process.isAlive());
        for (ProcessHandle process : List.copyOf(remembered)) {
            tree.add(process);
            process.descendants().forEach(tree::add);
        }
        tree.removeIf(process -> !process.isAlive()); // exited while being listed
        tree.stream().filter(process -> !process.equals(leader)).forEach(remembered::add);
        return List.copyOf(tree);
    }

    /**
     * What the JDK can tell of a process; it knows no process groups, sessions or states, so
     * those are -1 and {@code '?'}.
     */
    static ProcessInfo describe(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        String command = info.commandLine().or(info::command).orElse("[" + process.pid() + "]");
        long parent = process.parent().map(ProcessHandle::pid).orElse(-1L);
        return new ProcessInfo(process.pid(), parent, -1, -1, '?', command);
    }
}
