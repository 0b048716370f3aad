package io.github.procgroup.internal.linux;

import io.github.procgroup.ProcessInfo;
import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subreaper's supervisor mode, for a program whose every child is started by procgroup (the
 * {@code procgroup} command, an init-like supervisor): every zombie child of the JVM that procgroup
 * did not spawn itself is an adopted orphan, whatever tree it came from, and is reaped. Leaders and
 * parent-death sentinels of tracked trees are left to the exit watcher, which needs their status.
 *
 * <p>Pid reuse: a zombie keeps its pid until reaped, and only this JVM can reap its own children.
 * So the listing, the SIGKILLs and the reaping of one {@link #endAll} round hold {@link #LOCK},
 * which the orphan tracker holds too while it reaps: a child of the JVM listed as running cannot be
 * reaped (and its pid reused) before its SIGKILL is sent. A deeper descendant could be reaped by its
 * own, still running, parent in that instant; its pid would then have to be reused within
 * microseconds, which needs the whole pid space to cycle.
 */
public final class SupervisorReaping {
    /** Held while this JVM reaps adopted children, and by an {@link #endAll} round. */
    static final Object LOCK = new Object();
    private static final long ROUND_MILLIS = 10;
    private static volatile boolean enabled;

    private SupervisorReaping() {
    }

    /** From now on the orphan tracker reaps every adopted zombie, not only those of procgroup trees. */
    public static void enable() {
        enabled = true;
    }

    /** @return whether {@link #enable()} was called */
    public static boolean enabled() {
        return enabled;
    }

    /** One round of the tracker, with {@link #LOCK} held: in supervisor mode, reaps the adopted zombies in {@code all}. */
    static void reapAdoptedIfEnabled(List<ProcTable.Stat> all) {
        if (enabled) {
            reapAdopted(all);
        }
    }

    private static void reapAdopted(List<ProcTable.Stat> all) {
        for (ProcTable.Stat s : all) {
            if (s.ppid() == SelfPid.PID && s.isZombie() && !LiveTrees.spawnedByProcgroup(s.pid())) {
                // WNOHANG: a zombie, so it returns at once; ECHILD if another reaper was first.
                Posix.wait4((int) s.pid(), MemorySegment.NULL, LibC.WNOHANG(), MemorySegment.NULL);
            }
        }
    }

    /**
     * SIGKILLs every running process this JVM adopted (the descendants of its children that procgroup
     * did not spawn itself) and reaps them, round after round, until this JVM has no such child left.
     *
     * @param limit how long the killed processes may take to die and be reaped
     * @return the processes that were found running and killed, in the order first seen
     * @throws IllegalStateException if supervisor mode is off (the JDK's own children would be
     *                               taken for adopted ones), or if adopted children are still left
     *                               after {@code limit}; the message lists them
     * @throws InterruptedException  if interrupted between rounds
     */
    public static List<ProcessInfo> endAll(Duration limit) throws InterruptedException {
        if (!enabled) {
            throw new IllegalStateException("ending every adopted process needs the subreaper's supervisor mode");
        }
        long deadline = System.nanoTime() + limit.toNanos();
        Map<Long, ProcessInfo> killed = new LinkedHashMap<>();
        while (true) {
            List<ProcTable.Stat> adopted;
            synchronized (LOCK) {
                List<ProcTable.Stat> all = ProcTable.all();
                adopted = adopted(all);
                for (ProcTable.Stat s : adopted) {
                    if (!s.isZombie()) {
                        killed.putIfAbsent(s.pid(), s.info());
                        Posix.kill((int) s.pid(), LibC.SIGKILL()); // ESRCH: it died meanwhile, fine
                    }
                }
                reapAdopted(all);
            }
            if (adopted.isEmpty()) {
                return new ArrayList<>(killed.values());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("adopted processes still left " + limit.toMillis()
                        + " ms after SIGKILL: " + adopted.stream().map(ProcTable.Stat::info).toList());
            }
            Thread.sleep(ROUND_MILLIS);
        }
    }

    /** @return the adopted processes in {@code all}: running or zombie, children of the JVM and below */
    private static List<ProcTable.Stat> adopted(List<ProcTable.Stat> all) {
        Set<Long> pids = new HashSet<>();
        for (ProcTable.Stat s : all) {
            if (s.ppid() == SelfPid.PID && !LiveTrees.spawnedByProcgroup(s.pid())) {
                pids.add(s.pid());
            }
        }
        ProcessTree.addDescendants(all, pids, -1);
        return all.stream().filter(s -> pids.contains(s.pid())).toList();
    }
}
