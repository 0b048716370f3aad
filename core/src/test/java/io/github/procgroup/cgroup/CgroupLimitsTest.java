package io.github.procgroup.cgroup;

import io.github.procgroup.Containment;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.Limits;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Limits through the child's cgroup, and the refusals: a limit the host cannot enforce fails
 * start() naming the controller, unless best effort; a knob Linux does not honour likewise.
 * Enforcement itself is tested only where the parent cgroup has the controller enabled
 * (skipped with the reason otherwise); the refusals are tested wherever a cgroup can be made.
 */
@ExtendWith({NoLeftovers.class, NoLeafLeft.class})
@Timeout(60)
class CgroupLimitsTest {

    @BeforeEach
    void needsCgroups() {
        String why = CgroupTesting.whyUnavailable();
        assumeTrue(why == null, () -> "skipped: " + why);
    }

    private static boolean enabled(String controller) throws IOException {
        String control = Files.readString(CgroupTesting.jvmCgroup().resolve("cgroup.subtree_control"));
        return List.of(control.strip().split("\\s+")).contains(controller);
    }

    private static void needsController(String controller) throws IOException {
        assumeTrue(enabled(controller), () -> "skipped: the " + controller + " controller is not enabled in "
                + CgroupTesting.jvmCgroup().resolve("cgroup.subtree_control"));
    }

    @Test
    void aLimitWithoutItsControllerFailsStartNamingItAndLeavesNothing() throws IOException {
        assumeTrue(!enabled("pids"), "the pids controller is enabled here: nothing to refuse");
        int fds = ProcFs.openFdCount();
        GroupProcessBuilder b = new GroupProcessBuilder("sleep", "60").containment(Containment.CGROUP)
                .limits(Limits.NONE.withMaxProcesses(4));
        IllegalStateException e = assertThrows(IllegalStateException.class, b::start);
        assertTrue(e.getMessage().contains("pids.max (the pids controller)"), e.getMessage());
        assertTrue(e.getMessage().contains("cgroup.subtree_control"), e.getMessage());
        assertEquals(List.of(), CgroupTesting.leavesOfThisJvm());
        assertEquals(fds, ProcFs.openFdCount(), "no fd left open");
    }

    @Test
    void bestEffortSkipsWhatCannotBeEnforcedAndSaysSo() throws Exception {
        assumeTrue(!enabled("memory"), "the memory controller is enabled here: nothing to skip");
        CgroupScenarios.Run run = CgroupScenarios.run(List.of(), "best-effort");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("ran=CGROUP"), run.toString());
        assertTrue(run.err().contains("limit skipped (best effort)") && run.err().contains("memory.max (the memory controller)"),
                run.err());
        assertTrue(run.err().contains("per-process CPU time"), run.err());
    }

    @Test
    void knobsLinuxDoesNotHonourAndLimitsWithoutACgroupAreRefused() {
        GroupProcessBuilder cpuTime = new GroupProcessBuilder("true").containment(Containment.CGROUP)
                .limits(Limits.NONE.withProcessCpuTime(Duration.ofSeconds(1)));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, cpuTime::start);
        assertTrue(e.getMessage().contains("Windows"), e.getMessage());
        GroupProcessBuilder group = new GroupProcessBuilder("true").limits(Limits.NONE.withMaxProcesses(3));
        IllegalStateException g = assertThrows(IllegalStateException.class, group::start);
        assertTrue(g.getMessage().contains("Containment.CGROUP or AUTO"), g.getMessage());
        assertEquals(List.of(), CgroupTesting.leavesOfThisJvm());
    }

    @Test
    void pidsMaxStopsForksBeyondTheLimit() throws Exception {
        needsController("pids");
        // At most 4 tasks: the shell and 3 sleepers; the kernel refuses the later forks (EAGAIN).
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c", "for i in 1 2 3 4 5 6; do sleep 30 & done; wait")
                .containment(Containment.CGROUP).redirectErrorStream(true).limits(Limits.NONE.withMaxProcesses(4));
        try (GroupProcess p = b.start()) {
            Path leaf = CgroupTesting.jvmCgroup().resolve(
                    Path.of(CgroupTesting.cgroupOf(p.pid()).orElseThrow()).getFileName().toString());
            assertEquals("4", Files.readString(leaf.resolve("pids.max")).strip());
            ProcFs.await(() -> refusedForks(leaf) > 0, Duration.ofSeconds(20), () -> "no fork refused: " + p.members());
            assertTrue(p.members().size() <= 4, "at most 4 tasks: " + p.members());
        }
    }

    /** @return pids.events' "max" count: how many forks the limit refused */
    private static long refusedForks(Path leaf) {
        try {
            return Files.readAllLines(leaf.resolve("pids.events")).stream().filter(l -> l.startsWith("max "))
                    .mapToLong(l -> Long.parseLong(l.substring(4).strip())).sum();
        } catch (IOException gone) {
            return 0;
        }
    }

    @Test
    void memoryAndCpuLimitsAreWrittenToTheLeaf() throws Exception {
        needsController("memory");
        needsController("cpu");
        GroupProcessBuilder b = new GroupProcessBuilder("sleep", "60").containment(Containment.CGROUP)
                .limits(Limits.NONE.withMaxMemory(64L << 20).withCpuCores(0.5));
        try (GroupProcess p = b.start()) {
            Path leaf = CgroupTesting.jvmCgroup().resolve(
                    Path.of(CgroupTesting.cgroupOf(p.pid()).orElseThrow()).getFileName().toString());
            assertEquals(Long.toString(64L << 20), Files.readString(leaf.resolve("memory.max")).strip());
            assertEquals("50000 100000", Files.readString(leaf.resolve("cpu.max")).strip());
        }
    }
}
