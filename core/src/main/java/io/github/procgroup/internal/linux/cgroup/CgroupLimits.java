package io.github.procgroup.internal.linux.cgroup;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.Limits;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link Limits} as cgroup v2 control files of a leaf: {@code pids.max}, {@code memory.max} and
 * {@code cpu.max}. A leaf has a controller's files only if the controller is enabled in its
 * parent's {@code cgroup.subtree_control}; procgroup never enables one itself (that changes the
 * parent for every sibling, and the kernel refuses it while the parent holds processes, the
 * "no internal processes" rule).
 */
public final class CgroupLimits {
    /** cpu.max's period, the kernel's default: 100 ms. */
    static final long CPU_PERIOD_MICROS = 100_000;
    /** The kernel's smallest cpu.max quota: 1 ms. */
    static final long MIN_CPU_QUOTA_MICROS = 1_000;

    private final Map<String, String> files; // control file -> value, in the order to write them

    private CgroupLimits(Map<String, String> files) {
        this.files = files;
    }

    /**
     * Decides which files to write under {@code parent}, before anything is created.
     *
     * @param skipped gets one line per limit that cannot be enforced, if {@code limits.bestEffort()}
     * @throws IllegalStateException naming the missing controller (and the parent's
     *                               cgroup.subtree_control), unless best effort
     * @throws UnsupportedOperationException for a knob Linux does not honour, unless best effort
     */
    public static CgroupLimits plan(Path parent, Limits limits, List<String> skipped) {
        Set<String> enabled = controllers(parent.resolve("cgroup.subtree_control"));
        Map<String, String> files = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        if (limits.maxProcesses() > 0) {
            want(enabled, "pids", "pids.max", Integer.toString(limits.maxProcesses()), files, missing);
        }
        if (limits.maxMemoryBytes() > 0) {
            want(enabled, "memory", "memory.max", Long.toString(limits.maxMemoryBytes()), files, missing);
        }
        if (limits.cpuCores() > 0) {
            long quota = Math.max(MIN_CPU_QUOTA_MICROS, Math.round(limits.cpuCores() * CPU_PERIOD_MICROS));
            want(enabled, "cpu", "cpu.max", quota + " " + CPU_PERIOD_MICROS, files, missing);
        }
        if (!missing.isEmpty()) {
            String why = "cannot enforce " + String.join(", ", missing) + ": not enabled in " + parent
                    + "/cgroup.subtree_control (enabled there: " + (enabled.isEmpty() ? "none" : String.join(" ", enabled))
                    + "; available: " + available(parent) + "). Enable it there (the parent then may hold no "
                    + "process of its own), configure another parent cgroup, or use Limits.withBestEffort(true)";
            if (!limits.bestEffort()) {
                throw new IllegalStateException(why);
            }
            skipped.add(why);
        }
        if (limits.processCpuTime().isPresent()) {
            String why = "a per-process CPU time limit is a Windows Job Object limit; Linux does not honour it "
                    + "(Limits.withCpuCores limits the tree's CPU share instead)";
            if (!limits.bestEffort()) {
                throw new UnsupportedOperationException(why);
            }
            skipped.add(why);
        }
        return new CgroupLimits(files);
    }

    private static void want(Set<String> enabled, String controller, String file, String value,
                             Map<String, String> files, List<String> missing) {
        if (enabled.contains(controller)) {
            files.put(file, value);
        } else {
            missing.add(file + " (the " + controller + " controller)");
        }
    }

    /** @return whether there is nothing to write */
    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** Writes the limits into the (still empty) leaf. */
    public void applyTo(CgroupLeaf leaf) throws ErrnoException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            CgroupFs.writeOrThrow(leaf.dir().resolve(f.getKey()), f.getValue());
        }
    }

    private static Set<String> controllers(Path file) {
        String content = CgroupFs.read(file);
        Set<String> names = new TreeSet<>();
        if (content != null) {
            for (String name : content.strip().split("\\s+")) {
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String available(Path parent) {
        Set<String> controllers = controllers(parent.resolve("cgroup.controllers"));
        return controllers.isEmpty() ? "none" : String.join(" ", controllers);
    }
}
