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
 * environment). The mark is read while the process lives: a zombie's environ reads empty, so an
 * empty read of a zombie is never remembered as "not marked".
 *
 * <p>An adopted orphan that exits before any scan saw it alive can no longer be attributed (a
 * zombie keeps only its pid, group, session and start time). It is reaped all the same, by a rule
 * that can never take a child from the JDK: it is a child of the JVM's main thread (the kernel
 * hands orphans to a subreaper's first live thread, which in the {@code java} launcher runs no
 * Java code and so starts no child of its own), it is not a leader or sentinel procgroup waits
 * for, and it was already a zombie at the previous scan, 100 ms before. The JDK waits for each
 * child it starts from the moment it starts it, in a blocking waitpid on that pid, so a zombie
 * of the JDK's is reaped at once and never outlasts a scan; a zombie that does is one nobody
 * waits for.
 *
 * <p>The thread never dies silently: a scan that fails (no fd left to list /proc, say) is
 * reported on stderr, once per distinct cause, and retried with a growing pause, up to 5 s.
 */
public final class AdoptedOrphans {
    private static final long PERIOD_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    /** The environment variable that marks the processes of one tree. */
    static final String TREE_VARIABLE = "PROCGROUP_TREE";
    private static final AtomicLong TREES = new AtomicLong();
    // What each adopted child's environment said: classified once per process (pid and start time).
    private static final Map<ProcTable.ProcessKey, String> TOKENS = new ConcurrentHashMap<>();
    private static Thread thread; // guarded by AdoptedOrphans.class
    // The JVM's zombie children at the previous scan; only the tracker thread touches it.
    private static Set<ProcTable.ProcessKey> lastZombies = Set.of();

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
        return SelfPid.PID + "." + TREES.incrementAndGet();
    }

    /**
     * @return the {@code PROCGROUP_TREE} value of {@code s} if it is a child of this JVM that
     *         procgroup did not start itself (an adopted orphan, or a JDK child), else ""
     */
    static String adoptedToken(ProcTable.Stat s) {
        if (s.ppid() != SelfPid.PID || LiveTrees.spawnedByProcgroup(s.pid())) {
            return "";
        }
        if (s.isZombie()) {
            return TOKENS.getOrDefault(s.key(), ""); // its environ is gone: only what was read while it lived
        }
        String cached = TOKENS.get(s.key());
        if (cached != null) {
            return cached;
        }
        String token = readToken(s.pid());
        if (token == null) {
            return "";
        }
        // Read while it lived, unless it exited during the read (then the environ may have read empty).
        if (!token.isEmpty() || ProcTable.stat(s.pid()).map(now -> !now.isZombie()).orElse(false)) {
            TOKENS.putIfAbsent(s.key(), token);
        }
        return token;
    }

    private static String readToken(long pid) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            // This JVM's own marks only: a value inherited from a procgroup JVM further up may come first.
            String prefix = TREE_VARIABLE + "=" + SelfPid.PID + ".";
            for (String entry : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (entry.startsWith(prefix)) {
                    return entry.substring(TREE_VARIABLE.length() + 1);
                }
            }
        } catch (IOException gone) {
            // Exited meanwhile, or no fd left: nothing to attribute by this time; a later scan reads again.
            return null;
        }
        return "";
    }

    /** @return whether the tracker runs (the JVM was made a subreaper through procgroup) */
    static synchronized boolean running() {
        return thread != null;
    }

    private static void loop() {
        long pause = PERIOD_MILLIS;
        String lastFailure = null;
        while (true) {
            try {
                scan();
                pause = PERIOD_MILLIS;
                lastFailure = null;
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                    System.err.println("procgroup-subreaper: scan failed, retrying: " + e);
                    lastFailure = String.valueOf(e.getMessage());
                }
                pause = Math.min(2 * pause, MAX_BACKOFF_MILLIS);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: remember every tree's processes, reap the zombies that belong to a tree or that nobody waits for. */
    static void scan() {
        ProcTable.Snapshot snapshot = ProcTable.snapshot();
        List<ProcTable.Stat> all = snapshot.processes();
        Set<ProcTable.ProcessKey> ours = new HashSet<>();
        for (LinuxProcess tree : LiveTrees.all()) {
            for (ProcTable.Stat s : tree.rememberTree(snapshot)) {
                ours.add(s.key());
            }
        }
        Set<Long> adopted = mainThreadChildren();
        Set<ProcTable.ProcessKey> zombies = new HashSet<>();
        synchronized (SupervisorReaping.LOCK) { // no reap while a supervisor lists, then kills, adopted pids
            for (ProcTable.Stat s : all) {
                if (s.ppid() != SelfPid.PID || !s.isZombie() || LiveTrees.spawnedByProcgroup(s.pid())) {
                    continue;
                }
                zombies.add(s.key());
                if (ours.contains(s.key()) || (adopted.contains(s.pid()) && lastZombies.contains(s.key()))) {
                    // A zombie keeps its pid until reaped, so this wait4 can only reap that zombie.
                    // WNOHANG: returns at once; ECHILD if another reaper was first, which is fine.
                    Posix.wait4((int) s.pid(), MemorySegment.NULL, LibC.WNOHANG(), MemorySegment.NULL);
                }
            }
            SupervisorReaping.reapAdoptedIfEnabled(all);
        }
        lastZombies = zombies;
        LiveTrees.prune(snapshot);
        Set<ProcTable.ProcessKey> present = new HashSet<>();
        all.forEach(s -> present.add(s.key()));
        TOKENS.keySet().retainAll(present);
    }

    /** @return /proc/SELF/task/SELF/children: the children of the JVM's main thread (its tid is the pid) */
    private static Path mainThreadChildrenFile() {
        String self = Long.toString(SelfPid.PID);
        return Path.of("/proc", self, "task", self, "children");
    }

    /** @return the pids whose parent is the JVM's main thread, where orphans are re-parented */
    private static Set<Long> mainThreadChildren() {
        try {
            Set<Long> pids = new HashSet<>();
            for (String pid : Files.readString(mainThreadChildrenFile()).trim().split(" ")) {
                if (!pid.isEmpty()) {
                    pids.add(Long.parseLong(pid));
                }
            }
            return pids;
        } catch (IOException e) {
            return Set.of(); // no CONFIG_PROC_CHILDREN, or no fd: only zombies attributed to a tree are reaped
        }
    }
}
