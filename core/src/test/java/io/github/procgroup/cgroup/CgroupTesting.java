package io.github.procgroup.cgroup;

import io.github.procgroup.internal.linux.cgroup.CgroupMount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the cgroup tests need to know about the host, found out for real: the JVM's cgroup v2
 * (from /proc/self/mountinfo and /proc/self/cgroup) and whether this user can create a cgroup in
 * it (by creating and removing one).
 */
public final class CgroupTesting {
    private static final long SELF = ProcessHandle.current().pid();
    private static final String WHY_NOT = findWhyNot();

    private CgroupTesting() {
    }

    /** @return the JVM's cgroup v2 directory (call only after {@link #whyUnavailable()} said null) */
    public static Path jvmCgroup() {
        return CgroupMount.jvmCgroup().orElseThrow();
    }

    /** @return why this host cannot run cgroup tests, or null if it can */
    public static String whyUnavailable() {
        return WHY_NOT;
    }

    private static String findWhyNot() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "cgroups are Linux only";
        }
        Optional<Path> own = CgroupMount.jvmCgroup();
        if (own.isEmpty()) {
            return "no cgroup v2 mounted (no cgroup2 in /proc/self/mountinfo or no 0:: line in /proc/self/cgroup)";
        }
        Path probe = own.get().resolve("procgroup-test-probe-" + SELF);
        try {
            Files.createDirectory(probe);
        } catch (IOException e) {
            return "cannot create a cgroup in this JVM's cgroup " + own.get() + ": " + e;
        }
        try {
            if (!Files.exists(probe.resolve("cgroup.kill")) || !Files.exists(probe.resolve("cgroup.events"))) {
                return "the kernel's cgroup v2 lacks cgroup.kill or cgroup.events (Linux 5.14+)";
            }
            return null;
        } finally {
            try {
                Files.delete(probe);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the probe cgroup " + probe, e);
            }
        }
    }

    /** @return the leaf cgroups procgroup made for the JVM {@code pid} under {@code parent} */
    public static List<Path> leavesOf(Path parent, long pid) {
        List<Path> leaves = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, "procgroup-" + pid + "-*")) {
            entries.forEach(leaves::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return leaves;
    }

    /** @return the leaf cgroups of this JVM under its own cgroup */
    public static List<Path> leavesOfThisJvm() {
        return leavesOf(jvmCgroup(), SELF);
    }

    /** @return the cgroup v2 path in /proc/PID/cgroup (the 0:: line), or empty if the process is gone */
    public static Optional<String> cgroupOf(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")).stream()
                    .filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst();
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /**
     * @return the directory of the leaf cgroup a CGROUP child {@code pid} of this JVM is in (in the
     *         JVM's cgroup, named as in /proc/PID/cgroup); the caller checks that it exists
     */
    public static Path leafOf(long pid) {
        String relative = cgroupOf(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        return jvmCgroup().resolve(Path.of(relative).getFileName().toString());
    }

    /** @return the pids whose command line contains {@code marker} (a nonce the test put there) */
    public static List<Long> processesWith(String marker) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    String cmdline = new String(Files.readAllBytes(entry.resolve("cmdline"))).replace('\0', ' ');
                    String stat = Files.readString(entry.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (cmdline.contains(marker) && state != 'Z' && state != 'X') {
                        pids.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // exited while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }
}
