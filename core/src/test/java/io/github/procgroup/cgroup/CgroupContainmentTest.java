package io.github.procgroup.cgroup;

import io.github.procgroup.Containment;
import io.github.procgroup.ErrnoException;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.testing.Children;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * CGROUP containment on a real cgroup v2: the child is in its own leaf before the program runs,
 * escapees of every kind end with close() without a subreaper, the kernel's populated-0 event
 * wakes the waiter, and no leaf is left behind. Skipped, with the reason, where this user cannot
 * create a cgroup v2 in the JVM's own cgroup.
 */
@ExtendWith({NoLeftovers.class, NoLeafLeft.class})
@Timeout(60)
class CgroupContainmentTest {
    private static final long SELF = ProcessHandle.current().pid();

    @BeforeEach
    void needsCgroups() {
        String why = CgroupTesting.whyUnavailable();
        assumeTrue(why == null, () -> "skipped: " + why);
    }

    private static GroupProcessBuilder cgroup(String script) {
        return new GroupProcessBuilder("sh", "-c", script).containment(Containment.CGROUP);
    }

    private static String nonce() {
        return Long.toString(System.nanoTime() % 1_000_000_000L);
    }

    @Test
    void theProgramRunsInItsOwnLeafFromItsFirstInstruction() throws Exception {
        // cat is exec'd only after the move: what it reads of its own cgroup is where it started.
        GroupProcessBuilder b = new GroupProcessBuilder("cat", "/proc/self/cgroup").containment(Containment.CGROUP);
        String output = Children.output(b);
        String own = CgroupTesting.cgroupOf(SELF).orElseThrow();
        String leaf = output.lines().filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
        assertTrue(leaf.startsWith((own.equals("/") ? "" : own) + "/procgroup-" + SELF + "-"), leaf);
    }

    @Test
    void containmentReportsWhatTheChildGot() throws Exception {
        try (GroupProcess p = cgroup("exec sleep 60").start();
             GroupProcess g = new GroupProcessBuilder("sleep", "60").start()) {
            assertEquals(Containment.CGROUP, p.containment());
            assertEquals(Containment.GROUP, g.containment());
            String leaf = CgroupTesting.cgroupOf(p.pid()).orElseThrow();
            assertTrue(leaf.contains("/procgroup-" + SELF + "-"), leaf);
            assertEquals(CgroupTesting.cgroupOf(SELF), CgroupTesting.cgroupOf(g.pid()), "GROUP stays in the JVM's cgroup");
            assertEquals(List.of(p.pid()), p.members().stream().map(ProcessInfo::pid).toList());
        }
    }

    @Test
    void closeEndsADoubleForkedSetsidDaemonWithoutASubreaper() throws Exception {
        String marker = "86399." + nonce();
        // The middle shell exits at once: the daemon, in a session of its own, is re-parented away from the tree.
        String script = "setsid sh -c 'sleep " + marker + " </dev/null >/dev/null 2>&1 & echo $!'; exec sleep 600";
        for (Containment level : List.of(Containment.GROUP, Containment.CGROUP)) {
            long daemon;
            try (GroupProcess p = new GroupProcessBuilder("sh", "-c", script).containment(level).start()) {
                daemon = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine().strip());
                long leaderSession = ProcFs.proc(p.pid()).orElseThrow().sid();
                ProcFs.await(() -> ProcFs.proc(daemon)
                                .map(d -> d.ppid() != SELF && d.ppid() != p.pid() && d.sid() != leaderSession
                                        && ProcFs.proc(d.ppid()).map(parent -> parent.sid() != d.sid()).orElse(true))
                                .orElse(false),
                        Duration.ofSeconds(10), () -> "the daemon has not escaped: " + ProcFs.proc(daemon));
            } // close()
            try {
                if (level == Containment.GROUP) {
                    // The control: a process group cannot reach it (no subreaper traced it).
                    assertTrue(ProcFs.running(daemon), "the escaped daemon outlives close() in GROUP mode");
                } else {
                    assertFalse(ProcFs.running(daemon), "close() ended the daemon through its cgroup");
                    assertEquals(List.of(), CgroupTesting.processesWith(marker));
                }
            } finally {
                ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
                ProcFs.await(() -> !ProcFs.running(daemon), Duration.ofSeconds(10), () -> "cannot clean up " + daemon);
            }
        }
    }

    @Test
    void closeEndsASetpgidEscapeeWhoseParentDied() throws Exception {
        String marker = "86398." + nonce();
        String script = "sh -c \"perl -e 'setpgrp(0, 0); exec qw(sleep " + marker + ")' & echo \\$!\"; exec sleep 600";
        try (GroupProcess p = cgroup(script).redirectErrorStream(true).start()) {
            long escapee = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine().strip());
            ProcFs.await(() -> ProcFs.proc(escapee).map(e -> e.pgid() == escapee && e.comm().equals("sleep")).orElse(false),
                    Duration.ofSeconds(10), () -> "no setpgid escapee: " + ProcFs.proc(escapee));
            assertNotEquals(p.processGroupId(), ProcFs.proc(escapee).orElseThrow().pgid());
            assertTrue(p.tree().stream().anyMatch(i -> i.pid() == escapee), "tree() lists it from cgroup.procs");
            p.close();
            assertFalse(ProcFs.running(escapee));
        }
        assertEquals(List.of(), CgroupTesting.processesWith(marker));
    }

    @Test
    void closeEndsAProcessThatForksInALoop() throws Exception {
        String marker = "86397." + nonce();
        // Every iteration forks a sleeper that leaves the group; the loop never stops by itself.
        String script = "while :; do setsid sleep " + marker + " & done";
        GroupProcess p = cgroup(script).start();
        ProcFs.await(() -> CgroupTesting.processesWith(marker).size() >= 20, Duration.ofSeconds(20),
                () -> "the loop has not forked yet");
        p.close();
        assertEquals(List.of(), CgroupTesting.processesWith(marker), "nothing the loop forked survives");
        assertFalse(p.isAlive());
    }

    @Test
    void populatedZeroWakesTheWaiterFromTheExitWatcher() throws Exception {
        // The leader exits when its stdin closes; a grandchild outlives it until its own stdin (a
        // copy of the same pipe) closes too. No timing: each end is caused by the test.
        // A non-interactive shell gives a background job /dev/null as its stdin before the job's own
        // redirections, so "<&0" would copy /dev/null: the stdin pipe goes to the job through fd 3.
        try (GroupProcess p = cgroup("exec 3<&0; sh -c 'exec cat' <&3 3<&- & exec 3<&-; cat; wait").start()) {
            CompletableFuture<Void> emptied = childOf(p).emptied().orElseThrow();
            AtomicReference<String> completer = new AtomicReference<>();
            CompletableFuture<Void> seen = emptied.thenRun(() -> completer.set(Thread.currentThread().getName()));
            ProcFs.await(() -> p.members().size() == 3, Duration.ofSeconds(10), () -> "tree: " + p.members());
            assertFalse(emptied.isDone(), "the cgroup still has members");
            p.getOutputStream().close(); // both cats see end of file
            seen.get(20, TimeUnit.SECONDS);
            assertEquals("procgroup-exit-watcher", completer.get(), "woken by the epoll event on cgroup.events");
            assertEquals(0, p.awaitExit().shellCode());
        }
    }

    @Test
    void theLeafIsRemovedAfterCloseAndAfterANaturalEnd() throws Exception {
        Path leaf;
        try (GroupProcess p = cgroup("exec sleep 60").start()) {
            leaf = leafOf(p.pid());
            assertTrue(Files.isDirectory(leaf));
        }
        assertFalse(Files.exists(leaf), "close() returns after the leaf is gone");

        // It ends when the test closes its stdin, after its leaf was read: an "exit 3" at once could
        // have its leaf removed (by the exit watcher, after the reap) before the test looked it up.
        GroupProcess q = cgroup("read line; exit 3").start();
        Path second = leafOf(q.pid());
        q.getOutputStream().close();
        assertEquals(3, q.waitFor());
        ProcFs.await(() -> !Files.exists(second), Duration.ofSeconds(5), () -> second + " is left after the tree ended");
    }

    @Test
    void terminateEndsTheTreeAndReportsTheLeadersStatus() throws Exception {
        GroupProcess p = cgroup("trap 'exit 7' TERM; setsid sleep 600 & while :; do sleep 1; done").start();
        ProcFs.await(() -> p.members().size() >= 2, Duration.ofSeconds(10), () -> "tree: " + p.members());
        Set<Long> pids = p.members().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
        assertEquals(7, p.terminate(Duration.ofSeconds(10)).shellCode());
        pids.forEach(pid -> assertFalse(ProcFs.running(pid), "pid " + pid + " survived"));
    }

    @Test
    void aMissingProgramFailsStartAndLeavesNoLeaf() {
        GroupProcessBuilder b = new GroupProcessBuilder("/nonexistent/program").containment(Containment.CGROUP);
        ErrnoException e = assertThrows(ErrnoException.class, b::start);
        assertEquals("ENOENT", e.errnoName(), e.getMessage());
        assertEquals(List.of(), CgroupTesting.leavesOfThisJvm());
    }

    @Test
    void argumentsEnvironmentAndExitStatusPassTheGateUnchanged() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c", "printf '%s|' \"$@\"; printf '%s' \"$PG_VALUE\"; exit 42",
                "zero", "a b", "", "'\"$x", "*").containment(Containment.CGROUP);
        b.environment().put("PG_VALUE", "v a l");
        GroupProcess p = b.start();
        String out = Children.text(p.getInputStream());
        assertEquals(42, p.waitFor());
        assertEquals("a b||'\"$x|*|v a l", out);
    }

    @Test
    void aConfiguredParentGetsTheLeafLosesStaleLeavesAndOneThatIsNoCgroupIsRefused() throws Exception {
        Path parent = CgroupTesting.jvmCgroup().resolve("procgroup-test-parent-" + SELF);
        Files.createDirectory(parent);
        // An empty leaf a dead JVM left (its pid no longer runs), and one of a JVM that runs (this one).
        Path stale = Files.createDirectory(parent.resolve("procgroup-999999999-12345-1"));
        long started = io.github.procgroup.internal.linux.ProcTable.stat(SELF).orElseThrow().startTime();
        Path live = Files.createDirectory(parent.resolve("procgroup-" + SELF + "-" + started + "-999999"));
        try {
            try (GroupProcess p = cgroup("exec sleep 60").cgroupParent(parent).start()) {
                assertFalse(Files.exists(stale), "the dead JVM's empty leaf is removed on first use of the parent");
                assertTrue(Files.exists(live), "a leaf whose JVM may still run is left alone");
                Files.delete(live);
                String relative = CgroupTesting.cgroupOf(p.pid()).orElseThrow();
                assertTrue(relative.contains("/procgroup-test-parent-" + SELF + "/procgroup-" + SELF + "-"), relative);
            }
            assertEquals(List.of(), CgroupTesting.leavesOf(parent, SELF), "the leaf under the configured parent is gone");
        } finally {
            Files.deleteIfExists(stale);
            Files.deleteIfExists(live);
            Files.delete(parent);
        }
        Path notACgroup = Files.createTempDirectory("procgroup-not-a-cgroup");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> cgroup("true").cgroupParent(notACgroup).start());
            assertTrue(e.getMessage().contains("is not a cgroup v2 directory"), e.getMessage());
        } finally {
            Files.delete(notACgroup);
        }
    }

    private static Path leafOf(long pid) {
        Path leaf = CgroupTesting.leafOf(pid);
        assertTrue(Files.isDirectory(leaf), leaf + " for " + pid);
        return leaf;
    }

    /** The backend's view of the child: the emptied() future is not public API. */
    private static ChildProcess childOf(GroupProcess p) throws ReflectiveOperationException {
        Field f = GroupProcess.class.getDeclaredField("child");
        f.setAccessible(true);
        return (ChildProcess) f.get(p);
    }
}
