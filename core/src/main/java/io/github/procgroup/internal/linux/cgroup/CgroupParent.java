package io.github.procgroup.internal.linux.cgroup;

import io.github.procgroup.Limits;
import io.github.procgroup.internal.linux.ProcTable;
import io.github.procgroup.internal.linux.SelfPid;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where leaf cgroups are created, what they are named, and what is said when there is none.
 *
 * <p>The parent is, in this order: the builder's {@code cgroupParent}, the system property
 * {@value #PARENT_PROPERTY}, the cgroup this JVM runs in (the systemd rule: a program manages
 * the cgroup it was started in and below it, and needs no write access above). Leaves are named
 * {@code procgroup-<jvm pid>-<jvm start time>-<n>}: unique across JVMs, and a leaf whose JVM is
 * gone (SIGKILLed without killOnParentDeath) is recognised and removed, once empty, the first
 * time another procgroup JVM uses the same parent.
 */
public final class CgroupParent {
    /** System property: the default parent cgroup directory. */
    public static final String PARENT_PROPERTY = "procgroup.cgroup.parent";
    private static final String PREFIX = "procgroup-";
    private static final String OWNER = PREFIX + SelfPid.PID + "-" + startTime(SelfPid.PID) + "-";
    private static final AtomicLong LEAVES = new AtomicLong();
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private CgroupParent() {
    }

    /**
     * A parent found, or why none is usable.
     *
     * @param dir    the parent cgroup directory, or null
     * @param whyNot why there is none, or null
     */
    public record Found(Path dir, String whyNot) {
    }

    /** @param configured the builder's parent, or null @return the parent to create leaves under */
    public static Found find(Path configured) {
        Path dir = configured;
        String source = "the configured cgroup parent";
        if (dir == null && System.getProperty(PARENT_PROPERTY) != null) {
            dir = Path.of(System.getProperty(PARENT_PROPERTY));
            source = "the cgroup parent in -D" + PARENT_PROPERTY;
        }
        if (dir == null) {
            Optional<Path> own = CgroupMount.jvmCgroup();
            if (own.isEmpty()) {
                return new Found(null, "no cgroup v2 is mounted (no cgroup2 line in /proc/self/mountinfo, "
                        + "or no 0:: line in /proc/self/cgroup)");
            }
            dir = own.get();
            source = "this JVM's cgroup";
        }
        if (!Files.isRegularFile(dir.resolve("cgroup.controllers")) || !Files.isRegularFile(dir.resolve("cgroup.procs"))) {
            return new Found(null, source + " " + dir + " is not a cgroup v2 directory (it has no cgroup.controllers)");
        }
        if (SWEPT.add(dir)) {
            sweepStaleLeaves(dir);
        }
        return new Found(dir, null);
    }

    /** @return a name no other leaf has, of this JVM or any other */
    public static String newLeafName() {
        return OWNER + LEAVES.incrementAndGet();
    }

    /** Logs, once per JVM at INFO (after that at DEBUG), why AUTO got a process group only. */
    public static void logFallback(String why) {
        System.Logger.Level level = FALLBACK_LOGGED.compareAndSet(false, true)
                ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
        Log.LOGGER.log(level, "procgroup: Containment.AUTO falls back to GROUP: {0}", why);
    }

    /** Logs a limit skipped under best effort. */
    public static void logSkipped(String why) {
        Log.LOGGER.log(System.Logger.Level.WARNING, "procgroup: limit skipped (best effort): {0}", why);
    }

    /** Skips (logged) or refuses a limit that cannot be enforced, as the limits ask. */
    public static void skipOrFail(Limits limits, String why) {
        if (!limits.bestEffort()) {
            throw new IllegalStateException(why);
        }
        logSkipped(why);
    }

    /** Removes empty leaves whose JVM no longer runs (rmdir refuses a leaf that still has members). */
    private static void sweepStaleLeaves(Path parent) {
        try (DirectoryStream<Path> leaves = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path leaf : leaves) {
                String[] parts = leaf.getFileName().toString().split("-");
                if (parts.length == 4 && !ownerRuns(parts[1], parts[2])) {
                    CgroupFs.rmdir(leaf); // EBUSY: the dead JVM's tree still runs there; not ours to end
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Not listable: nothing to sweep; the leaf creation will say what is wrong.
        }
    }

    private static boolean ownerRuns(String pid, String startTime) {
        try {
            return startTime(Long.parseLong(pid)) == Long.parseLong(startTime);
        } catch (NumberFormatException notOurs) {
            return true; // not a name procgroup made: leave it alone
        }
    }

    /** @return the process's start time, or 0 if it is gone (no lambda: the first CGROUP spawn runs this, see linux package-info) */
    private static long startTime(long pid) {
        Optional<ProcTable.Stat> stat = ProcTable.stat(pid);
        return stat.isPresent() ? stat.get().startTime() : 0;
    }

    /**
     * The logger, in a holder: getting it loads the JDK's logging (a service lookup through the
     * runtime image among it), which only a fallback or a skipped limit needs, not every first
     * CGROUP spawn.
     */
    private static final class Log {
        static final System.Logger LOGGER = System.getLogger("io.github.procgroup");
    }
}
