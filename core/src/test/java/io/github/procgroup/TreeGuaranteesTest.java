package io.github.procgroup;

import io.github.procgroup.testing.Programs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.Backends;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.ThrowingConsumer;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After close() or terminate() returns, nothing of the tree runs: checked in /proc for every
 * member, and (NoLeftovers) no child of this JVM is left, running or zombie.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class TreeGuaranteesTest {
    private static final Duration START = Duration.ofSeconds(20);
    private final List<Long> escapeesToKill = new ArrayList<>();

    @AfterEach
    void killEscapees() {
        // Processes that escaped on purpose (re-parented to init) are no child of this JVM: end them here.
        for (long pid : escapeesToKill) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (long pid : escapeesToKill) {
            ProcFs.await(() -> !ProcFs.running(pid), Duration.ofSeconds(10), () -> "escapee " + pid + " still runs");
        }
    }

    @Test
    void tenBackgroundSleepsKilled() throws Exception {
        Backends.assumeNative("a process group (counted by pgid; PortableBackendTest has the same tree)");
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 600 & done; wait").start();
        ProcFs.awaitLiveMembers(p.processGroupId(), 11, START);
        p.close();
        assertEquals(List.of(), ProcFs.liveMembers(p.processGroupId()), "survivors right after close()");
    }

    @Test
    void destroyForciblyReturnsOnceTheGroupIsGone() throws Exception {
        Backends.assumeNative("a process group (counted by pgid; PortableBackendTest covers destroyForcibly)");
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "for i in 1 2 3 4 5; do sleep 600 & done; wait").start()) {
            ProcFs.awaitLiveMembers(p.processGroupId(), 6, START);
            assertTrue(p.destroyForcibly() == p);
            assertFalse(p.isAlive(), "the leader is reaped when it returns");
            assertEquals(List.of(), ProcFs.liveMembers(p.processGroupId()), "survivors right after destroyForcibly()");
        }
    }

    @Test
    void threeLevelTreeOfFiftyProcesses() throws Exception {
        Backends.assumeNative("a process group (counted by pgid; PortableBackendTest has the same tree)");
        // 1 shell, 7 shells under it, 6 sleeps under each: 50 processes on 3 levels.
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "for i in 1 2 3 4 5 6 7; do sh -c 'for j in 1 2 3 4 5 6; do sleep 600 & done; wait' & done; wait")
                .start();
        ProcFs.awaitLiveMembers(p.processGroupId(), 50, START);
        assertEquals(50, p.members().size());
        assertEquals(50, p.tree().size());
        Set<Long> levels = p.tree().stream().map(ProcessInfo::parentPid).collect(Collectors.toSet());
        assertEquals(1 + 1 + 7, levels.size(), "parents: the JVM, the top shell, 7 shells");
        p.close();
        assertEquals(List.of(), ProcFs.liveMembers(p.processGroupId()), "survivors right after close()");
    }

    /** How a test ends a child, and what the JDK's Process promises of each: the process ends. */
    enum Ending {
        CLOSE(GroupProcess::close),
        DESTROY_FORCIBLY(GroupProcess::destroyForcibly),
        DESTROY(p -> {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("destroy() did not end the leader within 20 s");
            }
        });

        private final ThrowingConsumer<GroupProcess> action;

        Ending(ThrowingConsumer<GroupProcess> action) {
            this.action = action;
        }
    }

    /**
     * Starts a leader that moves itself into this JVM's group and then runs {@code then} (see
     * {@link Programs#joiningTheJvmsGroup}).
     */
    private static GroupProcess leaderThatJoinsTheJvmsGroup(String then) throws Exception {
        Backends.assumeNative("a process group the leader can leave");
        return new GroupProcessBuilder(Programs.joiningTheJvmsGroup(then)).start();
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    @Timeout(60)
    void aLeaderThatMovedToAnotherGroupOfItsSessionIsEnded(Ending ending) throws Throwable {
        // The leader joins this JVM's group and execs sleep: it starts nothing, so close() usually
        // knows it alone without a listing, and killpg of the leader's own number finds no one.
        // Several rounds, as the host may create a process in between and send close() to the
        // listing instead.
        long jvmGroup = ProcFs.proc(ProcessHandle.current().pid()).orElseThrow().pgid();
        for (int round = 0; round < 5; round++) {
            GroupProcess p = leaderThatJoinsTheJvmsGroup("print \"moved\\n\"; exec 'sleep', '600'");
            try {
                assertEquals("moved", p.inputReader(StandardCharsets.UTF_8).readLine());
                long leader = p.pid();
                ProcFs.await(() -> ProcFs.proc(leader).map(s -> s.comm().equals("sleep")).orElse(false), START,
                        () -> "the leader did not exec sleep: " + ProcFs.proc(leader));
                assertEquals(jvmGroup, ProcFs.proc(leader).orElseThrow().pgid(), "the leader left its own group");
                ending.action.accept(p);
                ProcFs.await(() -> !ProcFs.running(leader), Duration.ofSeconds(5),
                        () -> ending + " did not end the leader in the other group");
            } finally {
                p.destroyForcibly(); // only reached with the leader still running if an assertion failed
            }
        }
    }

    @Test
    void closeEndsWhatALeaderThatMovedToAnotherGroupStarted() throws Exception {
        // Its child is born in the other group (this JVM's): found through its parent, the leader.
        GroupProcess p = leaderThatJoinsTheJvmsGroup("exec 'sh', '-c', 'sleep 600 & echo $!; wait'");
        try {
            long child = Long.parseLong(p.inputReader(StandardCharsets.UTF_8).readLine());
            long leader = p.pid();
            ProcFs.await(() -> ProcFs.proc(child).map(c -> c.comm().equals("sleep")).orElse(false), START,
                    () -> "the child did not start: " + ProcFs.proc(child));
            assertEquals(Set.of(leader, child), p.tree().stream().map(ProcessInfo::pid).collect(Collectors.toSet()),
                    "the tree is the leader and its child, neither in the leader's own group");
            p.close();
            assertFalse(ProcFs.running(leader), "close() ended the leader");
            assertFalse(ProcFs.running(child), "close() ended the leader's child");
        } finally {
            p.destroyForcibly(); // only reached with the tree still running if an assertion failed
        }
    }

    @Test
    void withoutSubreaperASetsidChildIsTracedWhileItsParentLivesButADaemonEscapes() throws Exception {
        Backends.assumeNative("tracing escapees through /proc");
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "setsid sleep 600 & echo $!; (setsid sleep 601 & echo $!); exec sleep 602").start();
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        long setsid = Long.parseLong(out.readLine());
        long daemon = Long.parseLong(out.readLine());
        escapeesToKill.add(daemon);
        long pgid = p.processGroupId();
        // Set up once both have their own session and the daemon's first parent, a subshell of the tree, is gone.
        ProcFs.await(() -> ProcFs.proc(daemon).map(d -> d.sid() == daemon
                        && ProcFs.proc(d.ppid()).map(parent -> parent.pgid() != pgid).orElse(true)).orElse(false)
                        && ProcFs.proc(setsid).map(s -> s.sid() == setsid).orElse(false),
                START, () -> "escapees not set up: " + ProcFs.proc(setsid) + " " + ProcFs.proc(daemon));
        Set<Long> traced = p.tree().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
        assertTrue(traced.contains(setsid), "its parent, the leader, runs: traced by parent links");
        assertFalse(traced.contains(daemon), "re-parented to init: nothing links it to the tree");
        assertFalse(p.members().stream().anyMatch(m -> m.pid() == setsid), "it left the group");

        p.close();
        assertFalse(ProcFs.running(setsid), "close() killed the traced escapee");
        assertTrue(ProcFs.running(daemon), "the daemon escaped, as the README says it does without a subreaper");
    }

    @Test
    void terminateEscalatesToSigkillAfterTheGrace() throws Exception {
        Backends.assumeNative("ending within a second of the grace: each poll of the fallback is a "
                + "ProcessHandle.descendants() scan of every process");
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "trap '' TERM; echo ready; while :; do sleep 0.05; done").start();
        assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
        Duration grace = Duration.ofSeconds(1);
        long started = System.nanoTime();
        ExitStatus status = p.terminate(grace);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(Signal.KILL, status.signal().orElseThrow(), status.toString());
        assertTrue(took.compareTo(grace.plusSeconds(1)) < 0, "terminated in " + took.toMillis() + " ms");
        assertTrue(took.compareTo(grace) >= 0, "SIGKILL only after the grace: " + took.toMillis() + " ms");
        assertEquals(List.of(), ProcFs.liveMembers(p.processGroupId()));
        p.close();
    }

    @Test
    void terminateReturnsEarlyWhenTheTreeExitsOnSigterm() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & sleep 600 & echo ready; wait").start();
        assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
        ExitStatus status = p.terminate(Duration.ofSeconds(30));
        assertEquals(Signal.TERM, status.signal().orElseThrow(), status.toString());
        assertEquals(List.of(), ProcFs.liveMembers(p.processGroupId()));
        p.close();
    }

    @Test
    void theParentDeathSentinelIsHiddenOutlivesSigtermAndEndsWithTheTree() throws Exception {
        Backends.assumeNative("killOnParentDeath");
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & echo ready; wait")
                .killOnParentDeath(true).start();
        assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
        long pgid = p.processGroupId();
        List<ProcFs.Proc> group = ProcFs.awaitLiveMembers(pgid, 3, START);
        long sentinel = group.stream().filter(m -> m.pid() != p.pid() && m.ppid() == ProcFs.self())
                .findFirst().orElseThrow().pid();
        assertEquals(2, p.members().size(), "the sentinel is not the user's: " + p.members());
        assertFalse(p.tree().stream().anyMatch(m -> m.pid() == sentinel));
        assertTrue(p.signal(Signal.TERM), "SIGTERM to the group: the shell and sleep die");
        assertEquals(Signal.TERM, p.awaitExit().signal().orElseThrow());
        // The sentinel ignored SIGTERM. It is ended at the leader's reap if no member runs then; a
        // member still dying at that moment (the sleep) keeps it until close(), as documented.
        ProcFs.await(() -> p.members().isEmpty(), START, () -> "the user's processes still run: " + p.members());
        p.close();
        ProcFs.awaitGroupGone(pgid, START);
    }

    @Test
    void theSentinelReadsAPipeOnlyTheJvmHoldsAndSurvivesStopAndCont() throws Exception {
        Backends.assumeNative("killOnParentDeath");
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & echo ready; wait")
                .killOnParentDeath(true).start();
        assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
        List<ProcFs.Proc> group = ProcFs.awaitLiveMembers(p.processGroupId(), 3, START);
        Set<Long> users = p.members().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
        long sentinel = group.stream().map(ProcFs.Proc::pid).filter(pid -> !users.contains(pid)).findFirst().orElseThrow();
        String lifeline = ProcFs.fdTarget(sentinel, 0);
        assertTrue(lifeline.startsWith("pipe:"), "the sentinel reads a pipe: " + lifeline);
        assertEquals(1, ProcFs.fdsOn(lifeline).size(), "the JVM holds the other end, once");
        long hupAndTerm = 1L << 14 | 1L;
        ProcFs.await(() -> (Long.parseLong(ProcFs.statusField(sentinel, "SigIgn").orElse("0"), 16) & hupAndTerm) == hupAndTerm,
                START, () -> "the sentinel does not ignore SIGHUP and SIGTERM: " + ProcFs.statusField(sentinel, "SigIgn"));
        assertTrue(p.signal(Signal.STOP), "the group stopped");
        assertTrue(p.signal(Signal.CONT), "and continued, while the JVM lives");
        // A sentinel that took the stop for the end of its pipe would kill the group now.
        ProcFs.assertHolds(() -> ProcFs.liveMembers(p.processGroupId()).size() == 3, Duration.ofMillis(300),
                () -> "somebody was killed: " + ProcFs.group(p.processGroupId()));
        p.close();
        assertEquals(List.of(), ProcFs.liveMembers(p.processGroupId()));
        ProcFs.await(() -> ProcFs.fdsOn(lifeline).isEmpty(), START,
                () -> "the JVM still holds the lifeline after the sentinel was reaped");
    }

    @Test
    void theSentinelGoesWhenTheLeaderExitsAlone() throws Exception {
        Backends.assumeNative("killOnParentDeath");
        new GroupProcessBuilder("true").start().close(); // the exit watcher's own fds exist from here on
        int fds = ProcFs.openFdCount();
        GroupProcess p = new GroupProcessBuilder("true").killOnParentDeath(true).start();
        assertEquals(0, p.waitFor());
        ProcFs.awaitGroupGone(p.processGroupId(), START); // NoLeftovers then checks it was reaped
        p.close();
        // The lifeline's write end is closed once the sentinel is reaped: no fd left behind.
        ProcFs.await(() -> ProcFs.openFdCount() == fds, START, () -> ProcFs.openFdCount() + " fds, " + fds + " before");
    }

    @Test
    void killOnParentDeathNeedsTheJvmsSession() {
        Backends.assumeNative("killOnParentDeath");
        GroupProcessBuilder b = new GroupProcessBuilder("sleep", "60").killOnParentDeath(true).newSession(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, b::start);
        assertTrue(e.getMessage().contains("newSession"), e.getMessage());
    }
}
