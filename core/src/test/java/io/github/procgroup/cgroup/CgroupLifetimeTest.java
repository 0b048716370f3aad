package io.github.procgroup.cgroup;

import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A CGROUP tree and its leaf do not outlive the JVM: not after a normal exit (the shutdown hook),
 * not after SIGKILL with killOnParentDeath (the sentinel writes cgroup.kill and removes the
 * leaf); and AUTO falls back to a group, saying why once, on a read-only cgroupfs as in a
 * container. Each runs in a JVM of its own.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(90)
class CgroupLifetimeTest {

    @BeforeEach
    void needsCgroups() {
        String why = CgroupTesting.whyUnavailable();
        assumeTrue(why == null, () -> "skipped: " + why);
    }

    @Test
    void killOnParentDeathLeavesNothingAfterTheJvmIsKilled() throws Exception {
        Path leaf;
        long leader;
        long daemon;
        try (ChildJvm jvm = ChildJvm.start(CgroupScenarios.class, "kill-on-parent-death")) {
            leaf = Path.of(jvm.read("leaf"));
            leader = Long.parseLong(jvm.read("leader"));
            daemon = Long.parseLong(jvm.read("daemon"));
            assertTrue(Files.isDirectory(leaf));
            assertTrue(ProcFs.running(daemon) && ProcFs.running(leader));
            jvm.kill(); // SIGKILL: no hook runs, only the sentinel acts
        }
        ProcFs.await(() -> !ProcFs.running(daemon) && !ProcFs.running(leader) && !Files.exists(leaf),
                Duration.ofSeconds(20), () -> "left: leader " + ProcFs.proc(leader) + ", daemon " + ProcFs.proc(daemon)
                        + ", leaf exists " + Files.exists(leaf));
    }

    @Test
    void aNormalJvmExitLeavesNoTreeAndNoLeaf() throws Exception {
        Path leaf;
        long daemon;
        try (ChildJvm jvm = ChildJvm.start(CgroupScenarios.class, "jvm-exit")) {
            leaf = Path.of(jvm.read("leaf"));
            jvm.read("leader");
            daemon = Long.parseLong(jvm.read("daemon"));
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(30)));
        }
        // The hook waited for the kernel's populated 0 and removed the leaf before the JVM ended.
        assertTrue(!Files.exists(leaf), leaf + " left after the JVM exited");
        ProcFs.await(() -> !ProcFs.running(daemon), Duration.ofSeconds(5), () -> "daemon left: " + ProcFs.proc(daemon));
    }

    @Test
    void autoFallsBackToTheGroupOnAReadOnlyCgroupfsAndSaysWhyOnce() throws Exception {
        // A private mount namespace in which the JVM's cgroup is bind-mounted read-only onto itself:
        // Docker's read-only /sys/fs/cgroup, for this JVM alone, gone when it exits.
        Path own = CgroupTesting.jvmCgroup();
        String script = "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" || exit 99; shift; exec \"$@\"";
        CgroupScenarios.Run run = CgroupScenarios.run(
                List.of("unshare", "--mount", "sh", "-c", script, "sh", own.toString()), "auto");
        assumeTrue(run.exit() != 99, () -> "skipped: cannot make a read-only bind mount here: " + run.err());
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("containment=GROUP,GROUP"), run.out());
        assertTrue(run.out().contains("cgroup=ErrnoException") && run.out().contains("EROFS"), run.out());
        assertEquals(1, fallbackLines(run.err()), "logged once: " + run.err());
        assertTrue(run.err().contains("EROFS"), run.err());
    }

    @Test
    void autoFallsBackFromAConfiguredParentThatIsNoCgroup() throws Exception {
        Path notACgroup = Files.createTempDirectory("procgroup-not-a-cgroup");
        try {
            CgroupScenarios.Run run = CgroupScenarios.run(List.of(), "auto-parent", notACgroup.toString());
            assertEquals(0, run.exit(), run.toString());
            assertEquals(2, run.out().lines().filter(l -> l.equals("containment=GROUP")).count(), run.out());
            assertEquals(1, fallbackLines(run.err()), "logged once: " + run.err());
            assertTrue(run.err().contains(notACgroup + " is not a cgroup v2 directory"), run.err());
        } finally {
            Files.delete(notACgroup);
        }
    }

    private static long fallbackLines(String log) {
        return log.lines().filter(l -> l.contains("Containment.AUTO falls back to GROUP")).count();
    }
}
