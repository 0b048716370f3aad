package io.github.procgroup.portable;

import io.github.procgroup.Containment;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.Limits;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.Signal;
import io.github.procgroup.testing.Backends;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portable fallback on this machine, against /proc as the independent witness: the tree
 * that {@link ProcessHandle#descendants()} shows is found and ended by {@code close()},
 * {@code terminate()} and {@code destroyForcibly()}; signals other than TERM and KILL are refused;
 * a process orphaned before the first listing is, as documented, out of reach.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "checks the fallback's work in /proc")
@ExtendWith(NoLeftovers.class)
@Timeout(120)
class PortableBackendTest {
    private static final Duration START = Duration.ofSeconds(20);

    @BeforeEach
    void onlyUnderTheFallback() {
        Backends.assumePortable();
    }

    @Test
    void theChildReportsTheFallbacksContainment() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "600").start()) {
            assertEquals(Containment.DESCENDANTS, p.containment());
            assertEquals(p.pid(), p.processGroupId(), "no group of its own: the leader's pid");
            assertEquals(ProcFs.proc(ProcFs.self()).orElseThrow().pgid(), ProcFs.proc(p.pid()).orElseThrow().pgid(),
                    "in the JVM's own group");
            assertEquals(List.of(p.pid()), p.members().stream().map(ProcessInfo::pid).toList());
        }
    }

    @Test
    void cgroupContainmentAndLimitsAreRefusedByNameAndStartNothing() throws Exception {
        List<ProcFs.Proc> before = ProcFs.childrenOfThisJvm();
        UnsupportedOperationException cgroup = assertThrows(UnsupportedOperationException.class,
                () -> new GroupProcessBuilder("sleep", "600").containment(Containment.CGROUP).start());
        assertTrue(cgroup.getMessage().contains("Containment.CGROUP"), cgroup.getMessage());
        UnsupportedOperationException limits = assertThrows(UnsupportedOperationException.class,
                () -> new GroupProcessBuilder("sleep", "600").limits(Limits.NONE.withMaxProcesses(10)).start());
        assertTrue(limits.getMessage().contains("maxProcesses=10") && limits.getMessage().contains("withBestEffort"),
                limits.getMessage());
        assertEquals(before, ProcFs.childrenOfThisJvm(), "a refused start starts no process");
        try (GroupProcess auto = new GroupProcessBuilder("sleep", "600").containment(Containment.AUTO)
                .limits(Limits.NONE.withMaxProcesses(10).withBestEffort(true)).start()) {
            assertEquals(Containment.DESCENDANTS, auto.containment(), "AUTO and best-effort limits fall back");
        }
    }

    @Test
    void closeEndsATreeOfTenSleeps() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 600 & done; wait")
                .start();
        Set<Long> tree = awaitTree(p, 11);
        assertEquals(tree, descendantsInProc(p.pid()), "what the fallback lists is what /proc shows");
        p.close();
        assertEquals(Set.of(), running(tree), "survivors right after close()");
    }

    @Test
    void aThreeLevelTreeOfFiftyIsListedAndEnded() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "for i in 1 2 3 4 5 6 7; do sh -c 'for j in 1 2 3 4 5 6; do sleep 600 & done; wait' & done; wait")
                .start();
        Set<Long> tree = awaitTree(p, 50);
        Set<Long> parents = p.tree().stream().map(ProcessInfo::parentPid).collect(Collectors.toSet());
        assertEquals(1 + 1 + 7, parents.size(), "parents: the JVM, the top shell, 7 shells");
        assertTrue(p.destroyForcibly() == p);
        assertFalse(p.isAlive(), "the leader is reaped when destroyForcibly() returns");
        assertEquals(Set.of(), running(tree), "survivors right after destroyForcibly()");
    }

    @Test
    void terminateGivesTermThenKillsWhatIgnoresIt() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "trap '' TERM; sleep 600 & sleep 600 & wait").start();
        Set<Long> tree = awaitTree(p, 3);
        ExitStatus status = p.terminate(Duration.ofMillis(300));
        assertEquals(ExitStatus.killedBy(Signal.KILL.number(), false), status, "TERM ignored: KILL ended the leader");
        assertEquals(Set.of(), running(tree), "survivors right after terminate()");
    }

    @Test
    void terminateEndsAPoliteTreeWithTerm() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sleep", "600").start();
        awaitTree(p, 1);
        assertEquals(ExitStatus.killedBy(Signal.TERM.number(), false), p.terminate(Duration.ofSeconds(10)));
    }

    @Test
    void signalsOtherThanTermAndKillAreRefusedByName() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "600").start()) {
            UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                    () -> p.signal(Signal.HUP));
            assertTrue(refused.getMessage().contains("SIGHUP") && refused.getMessage().contains("TERM and KILL"),
                    refused.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> p.signalLeader(Signal.STOP));
            assertTrue(p.isAlive(), "a refused signal does nothing");
            assertTrue(p.signal(Signal.TERM));
            assertEquals(ExitStatus.killedBy(Signal.TERM.number(), false), p.awaitExit());
        }
    }

    /** A process seen by a listing while its parent ran is remembered after the parent exits. */
    @Test
    void anOrphanSeenBeforeItsParentExitedIsStillEnded() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & echo $!; read line").start();
        long sleep = Long.parseLong(reader(p).readLine());
        Set<Long> tree = awaitTree(p, 2);
        assertTrue(tree.contains(sleep));
        assertTrue(p.signalLeader(Signal.KILL));
        p.awaitExit();
        assertTrue(ProcFs.running(sleep), "signalLeader reaches the leader only");
        assertEquals(List.of(sleep), p.tree().stream().map(ProcessInfo::pid).toList(), "remembered orphan");
        p.close();
        assertFalse(ProcFs.running(sleep), "close() ended the remembered orphan");
    }

    /** The documented limit: an orphan whose parent exited before any listing cannot be found. */
    @Test
    void anOrphanWhoseParentExitedBeforeAnyListingIsOutOfReach() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sh -c 'sleep 600 & echo $!'; read line").start();
        long orphan = Long.parseLong(reader(p).readLine());
        try {
            ProcFs.await(() -> ProcFs.proc(orphan).map(proc -> proc.ppid() != p.pid()).orElse(false), START,
                    () -> "the sleep was not re-parented");
            assertFalse(p.tree().stream().anyMatch(info -> info.pid() == orphan), "no parent link leads to it");
            p.close();
            assertTrue(ProcFs.running(orphan), "close() cannot reach it");
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
            ProcFs.await(() -> !ProcFs.running(orphan), START, () -> "orphan " + orphan + " still runs");
        }
    }

    @Test
    void optionsTheFallbackCannotHonourAreRefusedAtStart() {
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> new GroupProcessBuilder("true").newSession(true).start());
        assertTrue(refused.getMessage().contains("newSession"), refused.getMessage());
        assertThrows(UnsupportedOperationException.class,
                () -> new GroupProcessBuilder("true").killOnParentDeath(true).start());
    }

    private static BufferedReader reader(GroupProcess p) {
        return p.inputReader(StandardCharsets.UTF_8);
    }

    /** Waits until the fallback lists {@code size} processes of the tree; returns their pids. */
    private static Set<Long> awaitTree(GroupProcess p, int size) {
        ProcFs.await(() -> p.tree().size() == size, START, () -> "tree never reached " + size + ": " + p.tree());
        return p.tree().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
    }

    /** The leader and its descendants by parent links in /proc, read without the library. */
    private static Set<Long> descendantsInProc(long leader) {
        List<ProcFs.Proc> all = ProcFs.all();
        Set<Long> tree = new java.util.HashSet<>(Set.of(leader));
        boolean grew = true;
        while (grew) {
            grew = all.stream().filter(proc -> tree.contains(proc.ppid()) && proc.state() != 'Z')
                    .map(ProcFs.Proc::pid).filter(tree::add).count() > 0;
        }
        return tree;
    }

    private static Set<Long> running(Set<Long> pids) {
        return pids.stream().filter(ProcFs::running).collect(Collectors.toSet());
    }
}
