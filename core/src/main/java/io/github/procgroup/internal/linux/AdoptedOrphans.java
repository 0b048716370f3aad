package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The subreaper's orphan tracker: one daemon thread that, every 100 ms, lists /proc once,
 * remembers which processes belong to which procgroup tree (so that an escapee that left its
 * group with setsid is still known as part of its tree after its parent died and it was
 * re-parented to the JVM), and reaps the zombies among the JVM's adopted children that belong to
 * a procgroup tree. Each is reaped alone with wait4 on its pid; never waitpid(-1), which would
 * take the JDK's own children (and procgroup's leaders) from their waiters.
 *
 * <p>A process that escapes its group and whose parent dies before a scan saw it (a classic
 * daemon: fork, setsid, fork, and the middle process exits at once) is recognised by its
 * environment, as Jenkins recognises escaped build processes: while the tracker runs, every
 * child procgroup starts gets {@code PROCGROUP_TREE=<jvm pid>.<n>}, and an adopted child of the
 * JVM whose /proc/PID/environ carries a tree's value belongs to that tree (unless it cleared its
 * environment).
 */
public final class AdoptedOrphans {
    private static final long PERIOD_MILLIS = 100;
    private static final long SELF = ProcessHandle.current().pid();
    /** The environment variable that marks the processes of one tree. */
    static final String TREE_VARIABLE = "PROCGROUP_TREE";
    private static final AtomicLong TREES = new AtomicLong();
    // What each adopted child's environment said: classified once per process (pid and start time).
    private static final Map<ProcTable.ProcessKey, String> TOKENS = new ConcurrentHashMap<>();
    private static Thread thread; // guarded by AdoptedOrphans.class

    private AdoptedOrphans() {
    }

    /** Starts the tracker; a second call does nothing. */
    public static synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("procgroup-subreaper").start(AdoptedOrphans::loop);
        }
    }

    /** @return a new {@code PROCGROUP_TREE} value, unique in this JVM's lifetime */
    static String newToken() {
        return SELF + "." + TREES.incrementAndGet();
    }

    /**
     * @return the {@code PROCGROUP_TREE} value of {@code s} if it is a child of this JVM that
     *         procgroup did not start itself (an adopted orphan, or a JDK child), else ""
     */
    static String adoptedToken(ProcTable.Stat s) {
        if (s.ppid() != SELF || LiveTrees.spawnedByProcgroup(s.pid())) {
            return "";
        }
        return TOKENS.computeIfAbsent(s.key(), key -> readToken(key.pid()));
    }

    private static String readToken(long pid) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            // This JVM's own marks only: a value inherited from a procgroup JVM further up may come first.
            String prefix = TREE_VARIABLE + "=" + SELF + ".";
            for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (entry.startsWith(prefix)) {
                    return entry.substring(TREE_VARIABLE.length() + 1);
                }
            }
        } catch (IOException gone) {
            // Exited meanwhile (a zombie's environ reads empty): nothing to attribute by.
        }
        return "";
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
        synchronized (SupervisorReaping.LOCK) { // no reap while a supervisor lists, then kills, adopted pids
            for (ProcTable.Stat s : all) {
                if (s.ppid() == SELF && s.isZombie() && ours.contains(s.key()) && !LiveTrees.spawnedByProcgroup(s.pid())) {
                    // A zombie keeps its pid until reaped, so this wait4 can only reap that zombie.
                    // WNOHANG: returns at once; ECHILD if another reaper was first, which is fine.
                    Posix.wait4((int) s.pid(), MemorySegment.NULL, LibC.WNOHANG(), MemorySegment.NULL);
                }
            }
            SupervisorReaping.reapAdoptedIfEnabled(all);
        }
        LiveTrees.prune(all);
        Set<ProcTable.ProcessKey> present = new HashSet<>();
        all.forEach(s -> present.add(s.key()));
        TOKENS.keySet().retainAll(present);
    }
}
