package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The subreaper's orphan tracker: one daemon thread that, every 100 ms, lists /proc once,
 * remembers which processes belong to which procgroup tree (so that an escapee that left its
 * group with setsid is still known as part of its tree after its parent died and it was
 * re-parented to the JVM), and reaps the zombies among the JVM's adopted children that belong to
 * a procgroup tree. Each is reaped alone with wait4 on its pid; never waitpid(-1), which would
 * take the JDK's own children (and procgroup's leaders) from their waiters.
 */
public final class AdoptedOrphans {
    private static final long PERIOD_MILLIS = 100;
    private static final long SELF = ProcessHandle.current().pid();
    private static Thread thread; // guarded by AdoptedOrphans.class

    private AdoptedOrphans() {
    }

    /** Starts the tracker; a second call does nothing. */
    public static synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("procgroup-subreaper").start(AdoptedOrphans::loop);
        }
    }

    /** @return whether the tracker runs (the JVM was made a subreaper through procgroup) */
    static synchronized boolean running() {
        return thread != null;
    }

    private static void loop() {
        while (true) {
            scan();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: remember every tree's processes, reap the zombies that belong to a tree. */
    static void scan() {
        List<ProcTable.Stat> all = ProcTable.all();
        Set<ProcTable.ProcessKey> ours = new HashSet<>();
        for (LinuxProcess tree : LiveTrees.all()) {
            for (ProcTable.Stat s : tree.rememberTree(all)) {
                ours.add(s.key());
            }
        }
        for (ProcTable.Stat s : all) {
            if (s.ppid() == SELF && s.isZombie() && ours.contains(s.key()) && !LiveTrees.spawnedByProcgroup(s.pid())) {
                // A zombie keeps its pid until reaped, so this wait4 can only reap that zombie.
                // WNOHANG: returns at once; ECHILD if another reaper was first, which is fine.
                Posix.wait4((int) s.pid(), MemorySegment.NULL, LibC.WNOHANG(), MemorySegment.NULL);
            }
        }
        LiveTrees.prune(all);
    }
}
