package io.github.procgroup.internal.linux.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Finding the JVM's cgroup v2 directory from mountinfo and /proc/self/cgroup lines as Linux writes them. */
@Timeout(10)
class CgroupMountTest {
    private static final String HYBRID = """
            30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    private static final String UNIFIED = """
            25 1 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate
            """;

    @Test
    void hybridHostsHaveTheirV2MountAtUnified() {
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified")),
                CgroupMount.ownCgroup(HYBRID.lines().toList(), List.of("4:memory:/x", "0::/")));
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified/user.slice/app")),
                CgroupMount.ownCgroup(HYBRID.lines().toList(), List.of("0::/user.slice/app", "1:name=systemd:/")));
    }

    @Test
    void unifiedHostsWithOptionalFields() {
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/system.slice/app.service")),
                CgroupMount.ownCgroup(UNIFIED.lines().toList(), List.of("0::/system.slice/app.service")));
    }

    @Test
    void aMountOfASubtreeCoversOnlyPathsBelowItsRoot() {
        List<String> mounts = List.of("50 1 0:23 /user.slice /mnt/cg rw - cgroup2 cgroup2 rw");
        assertEquals(Optional.of(Path.of("/mnt/cg/user-1000.slice")),
                CgroupMount.ownCgroup(mounts, List.of("0::/user.slice/user-1000.slice")));
        assertEquals(Optional.empty(), CgroupMount.ownCgroup(mounts, List.of("0::/system.slice")));
    }

    @Test
    void escapedMountPointsAndMissingLines() {
        List<String> mounts = List.of("50 1 0:23 / /mnt/my\\040cgroups rw - cgroup2 none rw");
        assertEquals(Optional.of(Path.of("/mnt/my cgroups/a")), CgroupMount.ownCgroup(mounts, List.of("0::/a")));
        assertEquals(Optional.empty(), CgroupMount.ownCgroup(mounts, List.of("1:name=systemd:/")), "no v2 line");
        assertEquals(Optional.empty(), CgroupMount.ownCgroup(HYBRID.lines().filter(l -> !l.contains("cgroup2")).toList(),
                List.of("0::/")), "no v2 mount");
    }
}
