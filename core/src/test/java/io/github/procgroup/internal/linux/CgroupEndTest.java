package io.github.procgroup.internal.linux;

import io.github.procgroup.Containment;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.Signal;
import io.github.procgroup.cgroup.CgroupTesting;
import io.github.procgroup.cgroup.NoLeafLeft;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The end of a CGROUP tree after a signal round ({@code cgroup.kill}, or SIGTERM to each member),
 * decided by the caller from the signalled members' pidfds and {@code cgroup.events} read then,
 * not from the kernel's notification (which comes from a work queue), and only once nothing runs
 * in the cgroup. Skipped, with the reason, where this user cannot create a cgroup v2 in the JVM's
 * own cgroup.
 */
@ExtendWith({NoLeftovers.class, NoLeafLeft.class})
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CgroupEndTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    @BeforeEach
    void needsCgroups() {
        String why = CgroupTesting.whyUnavailable();
        assumeTrue(why == null, () -> "skipped: " + why);
    }

    /** KILL goes through cgroup.kill, TERM to each member of cgroup.procs: both rounds keep what they listed. */
    @ParameterizedTest
    @EnumSource(value = Signal.class, names = {"KILL", "TERM"})
    void afterASignalRoundTheEndIsDecidedFromTheSignalledMembersExits(Signal signal) throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & sleep 600 & echo started; wait")
                .containment(Containment.CGROUP).start()) {
            assertEquals("started", p.inputReader(StandardCharsets.UTF_8).readLine());
            ProcFs.await(() -> p.members().size() == 3, Duration.ofSeconds(10), () -> "members: " + p.members());
            Path leaf = leafOf(p.pid());
            ChildProcess child = Internals.childOf(p);
            assertEquals(3, child.signalTree(signal), "the shell and its two sleeps, each of which the signal ends");
            p.awaitExit();
            assertTrue(child.awaitListedEnd(WAIT_NANOS), "over once the members the signal went to have exited");
            assertFalse(Files.exists(leaf), "and the leaf is removed then");
        }
    }

    @Test
    void aMemberThatOutlivesTheWaitLeavesTheEndToTheKernelsEvent() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "trap '' TERM; echo started; sleep 600; exit 0")
                .containment(Containment.CGROUP).start()) {
            assertEquals("started", p.inputReader(StandardCharsets.UTF_8).readLine());
            ProcFs.await(() -> p.members().size() == 2, Duration.ofSeconds(10), () -> "members: " + p.members());
            ChildProcess child = Internals.childOf(p);
            assertEquals(2, child.signalTree(Signal.TERM), "the shell ignores it, the sleep dies");
            assertFalse(child.awaitListedEnd(TimeUnit.MILLISECONDS.toNanos(300)), "the shell still runs");
            assertTrue(p.isAlive());
            assertTrue(Files.exists(leafOf(p.pid())));
        } // close(): cgroup.kill, then the end decided from the kill's members
    }

    @Test
    void terminateReachesStoppedMembersWithSigtermAndThenSigcont(@TempDir Path dir) throws Exception {
        Path mark = dir.resolve("handled");
        // Stopped, the shell runs its handler only once SIGCONT follows the SIGTERM, both on one listing.
        // It waits in a read of its stdin, forking nothing that could hold it in the kernel (state D).
        String script = "trap 'echo handled > " + mark + "; exit 3' TERM; echo started; read line";
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", script).containment(Containment.CGROUP).start()) {
            assertEquals("started", p.inputReader(StandardCharsets.UTF_8).readLine());
            assertTrue(p.signal(Signal.STOP));
            ProcFs.await(() -> ProcFs.proc(p.pid()).map(s -> s.state() == 'T').orElse(false), Duration.ofSeconds(10),
                    () -> "the shell is not stopped: " + ProcFs.proc(p.pid()));
            assertEquals(3, p.terminate(Duration.ofSeconds(20)).shellCode(), "the shell's own handler ended it");
            assertEquals("handled", Files.readString(mark).strip());
        }
    }

    private static Path leafOf(long pid) {
        Path leaf = CgroupTesting.leafOf(pid);
        ProcFs.await(() -> Files.isDirectory(leaf), Duration.ofSeconds(5), () -> leaf + " for " + pid);
        return leaf;
    }
}
