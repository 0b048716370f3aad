package io.github.procgroup.internal.linux;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every tree procgroup started whose leader has not been reaped yet or whose processes may
 * still run. It serves the shutdown hook (kill what is left when the JVM exits), the subreaper's
 * orphan tracker (which trees an adopted orphan may belong to), and the question which children
 * of the JVM are procgroup's own to reap.
 */
final class LiveTrees {
    private static final Set<LinuxProcess> TREES = ConcurrentHashMap.newKeySet();
    /** Pipeline stages that joined a leader's group: procgroup's own children too, reaped by the exit watcher. */
    private static final Set<Long> JOINED_STAGES = ConcurrentHashMap.newKeySet();
    private static final int FIRST_PRUNE_AT = 256;
    private static volatile int pruneAt = FIRST_PRUNE_AT;

    static {
        FdReserve.reserve(); // the spares must exist before the fds run out, not be opened then
        BootClock.tickAt(System.nanoTime()); // reads /proc/uptime once, now, while an fd is to be had
        // On a normal JVM exit (System.exit, the last thread ending, SIGTERM/SIGINT/SIGHUP to the JVM):
        // TERM, then KILL after each tree's grace, to every tree whose builder asked for it (the default).
        // ExitHook never throws: one tree's failure (EPERM, no fd left) must not spare the others.
        // ExitHook is loaded now, not at exit: a class loaded from a class-path directory needs an fd,
        // and at exit there may be none left (the JVM at its fd limit is a case the hook must survive).
        ExitHook.load();
        CgroupExitCleanup.load(); // the same reason
        TreeWalk.load(); // the same reason: listing a tree and waiting for it must work at the fd limit
        // One hook for both, in this order: the grace first, then the leaves of CGROUP trees are removed.
        // An anonymous class, not a method reference: the first spawn runs this (see package-info).
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("procgroup-shutdown").unstarted(new Runnable() {
            @Override
            public void run() {
                endAllAtExit();
            }
        }));
    }

    private LiveTrees() {
    }

    /** The shutdown hook; never throws (each step reports its own failures on stderr). */
    private static void endAllAtExit() {
        ExitHook.endAll(all());
        CgroupExitCleanup.afterExitHook();
    }

    static void add(LinuxProcess tree) {
        TREES.add(tree);
        if (TREES.size() >= pruneAt) {
            try {
                prune(ProcTable.snapshot());
            } catch (RuntimeException e) {
                // Pruning only saves memory; a listing that fails now (EMFILE) must not fail this start.
            }
            pruneAt = Math.max(FIRST_PRUNE_AT, 2 * TREES.size()); // amortised: one /proc scan per doubling
        }
    }

    static void remove(LinuxProcess tree) {
        TREES.remove(tree);
    }

    /** @return the trees, in no order; a snapshot safe to iterate while trees come and go */
    static List<LinuxProcess> all() {
        return List.copyOf(TREES);
    }

    /** Forgets the trees that are over in {@code snapshot}: leader reaped, nothing of them left. */
    static void prune(ProcTable.Snapshot snapshot) {
        for (LinuxProcess tree : TREES) { // no lambda: see package-info
            if (tree.isOver(snapshot)) {
                TREES.remove(tree);
            }
        }
    }

    /**
     * @return whether {@code pid} is a leader or sentinel procgroup spawned itself: those are reaped
     *         by the exit watcher, which must get their status, never by the orphan tracker
     */
    static boolean spawnedByProcgroup(long pid) {
        if (JOINED_STAGES.contains(pid)) {
            return true;
        }
        for (LinuxProcess tree : TREES) {
            if (tree.pid() == pid || tree.sentinelPid() == pid) {
                return true;
            }
        }
        return false;
    }

    /** Marks a pipeline stage that joined a leader's group as procgroup's own, until {@link #removeJoinedStage}. */
    static void addJoinedStage(long pid) {
        JOINED_STAGES.add(pid);
    }

    /** Called once the stage is reaped. */
    static void removeJoinedStage(long pid) {
        JOINED_STAGES.remove(pid);
    }
}
