package io.github.procgroup.internal.linux;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.linux.ProcTable.Stat;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end of a tree decided by events, without a second listing: the pid cursor that proves no
 * process was created, the marks by which a listing admits it may have missed one (a process that
 * died while it ran), the pidfd wait's verdict, a kill round that proves the end only while no
 * process was created since, a leader known to be alone only while nothing was created after it,
 * and a tree whose SIGTERM handler starts a process that ignores SIGTERM, which terminate() must
 * still find and end.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc and waits on pidfds (Linux)")
@ExtendWith(NoLeftovers.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EndByEventsTest {
    private static final Duration START = Duration.ofSeconds(20);
    /** A shell that prints the pid of a short sleep it started, then sleeps long itself. */
    private static final List<String> SHORT_SLEEP_TREE = List.of("sh", "-c", "sleep 0.3 & echo $!; exec sleep 600");

    @Test
    void theCursorIsTheLastFieldOfLoadavg() {
        assertEquals(4567, PidCursor.lastField("0.31 0.09 0.03 1/123 4567\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(PidCursor.UNKNOWN, PidCursor.lastField("0.31 0.09 0.03 1/123\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(PidCursor.UNKNOWN, PidCursor.lastField("".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(PidCursor.UNKNOWN, PidCursor.lastField("garbage".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theCursorMovesWhenAProcessIsCreated() throws Exception {
        long readAt = System.nanoTime();
        long cursor = PidCursor.read();
        assertNotEquals(PidCursor.UNKNOWN, cursor, "/proc/loadavg has the last pid");
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        assertFalse(PidCursor.unchangedSince(cursor, readAt), "a process was created since the first reading");
        assertTrue(PidCursor.read() >= p.pid() || PidCursor.read() < cursor, "the cursor passed the new pid (or wrapped)");
    }

    @Test
    void aListingOfAQuietTreeCarriesTheCursorAndOneThatSawAZombieDoesNot() throws Exception {
        // The leader's first child exits soon and is never reaped (sleep does not wait): a zombie in the tree.
        try (GroupProcess quiet = new GroupProcessBuilder("sh", "-c", "sleep 600 & echo ready; wait").start();
             GroupProcess withZombie = new GroupProcessBuilder("sh", "-c", "sleep 0.2 & echo ready; exec sleep 600").start()) {
            assertEquals("ready", quiet.inputReader(StandardCharsets.UTF_8).readLine());
            assertEquals("ready", withZombie.inputReader(StandardCharsets.UTF_8).readLine());
            ProcFs.await(() -> ProcFs.proc(withZombie.pid()).map(s -> s.comm().equals("sleep")).orElse(false)
                            && ProcFs.all().stream().anyMatch(s -> s.ppid() == withZombie.pid() && s.zombie()),
                    START, () -> "no zombie under " + ProcFs.proc(withZombie.pid()));
            ProcFs.awaitLiveMembers(quiet.processGroupId(), 2, START);

            // Another process of the host can be reaped while a listing reads init's children, which
            // marks that listing too (an init that reaps late does it in bursts, for a second or more,
            // after the orphans of earlier tests): one listing of the quiet tree within 10 s carries the cursor.
            boolean carried = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!carried && System.nanoTime() - deadline < 0) {
                carried = listing(quiet).pidCursor() != PidCursor.UNKNOWN;
                if (!carried) {
                    Thread.sleep(10);
                }
            }
            assertTrue(carried, "no listing of a tree that nothing entered or left carried the cursor");
            assertEquals(PidCursor.UNKNOWN, TreeWalk.list(List.of(new TreeWalk.Root(quiet.pid(), TreeWalk.ANY_START)),
                    quiet.processGroupId(), false).pidCursor(), "a listing for tree() is not asked to vouch");
            ProcTable.Snapshot zombie = listing(withZombie);
            assertTrue(zombie.processes().stream().anyMatch(Stat::isZombie), "the listing shows the zombie");
            assertEquals(PidCursor.UNKNOWN, zombie.pidCursor(), "a listing that saw a process dead vouches for nothing");
        }
    }

    @Test
    void aRememberedProcessThatIsGoneMarksTheListing() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "echo ready; exec sleep 600").start()) {
            assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
            long startTime = ProcTable.stat(p.pid()).orElseThrow().startTime();
            // The leader's pid with another start time: what a remembered escapee whose pid was reused looks like.
            ProcTable.Snapshot s = TreeWalk.list(List.of(new TreeWalk.Root(p.pid(), startTime + 1)), p.processGroupId(), true);
            assertEquals(PidCursor.UNKNOWN, s.pidCursor());
        }
    }

    @Test
    void anyExitedTellsARunningProcessFromAZombieAndFromAReapedOne() throws Exception {
        // The sleep 0.3 becomes a zombie of the exec'd sleep 600, which never reaps it.
        try (GroupProcess p = new GroupProcessBuilder(SHORT_SLEEP_TREE).start()) {
            BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
            long shortSleep = Long.parseLong(out.readLine().trim());
            ProcFs.await(() -> ProcFs.proc(p.pid()).map(s -> s.comm().equals("sleep")).orElse(false), START,
                    () -> "the leader does not run sleep: " + ProcFs.proc(p.pid()));
            Stat leader = ProcTable.stat(p.pid()).orElseThrow();
            Stat child = ProcTable.stat(shortSleep).orElseThrow();
            assertFalse(PidfdWait.anyExited(List.of(leader)), "the leader runs");
            ProcFs.await(() -> ProcFs.proc(shortSleep).map(ProcFs.Proc::zombie).orElse(false), START,
                    () -> "the short sleep did not exit: " + ProcFs.proc(shortSleep));
            assertTrue(PidfdWait.anyExited(List.of(leader, child)), "the zombie has exited");
            p.close();
            assertTrue(PidfdWait.anyExited(List.of(leader)), "reaped: no pidfd can be had (ESRCH)");
        }
    }

    @Test
    void thePidfdWaitSaysWhetherEveryProcessExited() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder(SHORT_SLEEP_TREE).start()) {
            long shortSleep = shortSleepOf(p);
            long listedAt = System.nanoTime() - TimeUnit.SECONDS.toNanos(1); // long enough ago that each pid is read again
            Stat leader = ProcTable.stat(p.pid()).orElseThrow();
            Stat child = ProcTable.stat(shortSleep).orElseThrow();
            assertEquals(PidfdWait.Outcome.ALL_EXITED, PidfdWait.awaitExit(List.of(child), listedAt, TimeUnit.SECONDS.toNanos(20)),
                    "the short sleep exits (a zombie: its pidfd is readable)");
            assertEquals(PidfdWait.Outcome.WAITED, PidfdWait.awaitExit(List.of(leader, child), listedAt, TimeUnit.MILLISECONDS.toNanos(50)),
                    "the leader still runs when the time is up");
            p.close();
            assertEquals(PidfdWait.Outcome.ALL_EXITED, PidfdWait.awaitExit(List.of(leader), listedAt, 0), "reaped: gone before the wait");
        }
    }

    /** @return the pid of the short sleep that {@link #SHORT_SLEEP_TREE}'s shell printed, once it runs sleep */
    private static long shortSleepOf(GroupProcess p) throws Exception {
        long shortSleep = Long.parseLong(p.inputReader(StandardCharsets.UTF_8).readLine().trim());
        ProcFs.await(() -> ProcFs.proc(shortSleep).map(s -> s.comm().equals("sleep")).orElse(false), START,
                () -> "the short sleep does not run sleep: " + ProcFs.proc(shortSleep));
        return shortSleep;
    }

    @Test
    void aWaitByPidsAloneWaitsOnlyWithinTheWindowOfItsListing() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder(SHORT_SLEEP_TREE).start()) {
            long shortSleep = shortSleepOf(p);
            assertEquals(PidfdWait.Outcome.ALL_EXITED,
                    PidfdWait.awaitExitOfPids(List.of(shortSleep), System.nanoTime(), TimeUnit.SECONDS.toNanos(20)),
                    "listed just now: waited for until it exits");
            // Listed long ago: with no start time, the pid could name a later process by now.
            long wait = TimeUnit.SECONDS.toNanos(20);
            long before = System.nanoTime();
            long longAgo = before - TimeUnit.SECONDS.toNanos(1);
            PidfdWait.Outcome stale = PidfdWait.awaitExitOfPids(List.of(p.pid()), longAgo, wait);
            assertEquals(PidfdWait.Outcome.WAITED, stale, "not known to have exited");
            assertTrue(System.nanoTime() - before < wait, "not waited for");
            assertTrue(p.isAlive());
            p.close();
            assertEquals(PidfdWait.Outcome.ALL_EXITED,
                    PidfdWait.awaitExitOfPids(List.of(p.pid()), System.nanoTime(), 0), "reaped: gone before the wait");
        }
    }

    @Test
    void terminateEndsAProcessThatTheTermHandlerStartedAfterTheListing(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("late.pid");
        // On SIGTERM the leader starts a process that ignores SIGTERM, then exits: every process the
        // first listing saw is gone, but the tree is not over. The late one is a member (killpg's
        // group) re-parented to init once the leader exits, where the next listing finds it.
        String late = "trap '' TERM; echo $$ > \"$1\"; exec sleep 600";
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "trap 'sh -c \"$0\" late \"$1\" & exit 0' TERM; echo ready; while :; do sleep 0.05; done", late,
                pidFile.toString()).start();
        long latePid = -1;
        try {
            assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
            ExitStatus status = p.terminate(Duration.ofSeconds(1));
            assertEquals(ExitStatus.exited(0), status, "the leader ran its handler and exited");
            assertTrue(Files.exists(pidFile), "the handler started the late process");
            latePid = Long.parseLong(Files.readString(pidFile).trim());
            assertFalse(ProcFs.running(latePid), "terminate() left the late process running: " + ProcFs.proc(latePid));
        } finally {
            p.close();
            if (latePid > 0 && ProcFs.running(latePid)) {
                ProcessHandle.of(latePid).ifPresent(ProcessHandle::destroyForcibly); // leave nothing behind on failure
                long gone = latePid;
                ProcFs.await(() -> !ProcFs.running(gone), START, () -> "late process " + gone + " still runs");
            }
        }
    }

    @Test
    void aKillRoundProvesTheEndOnlyIfNoProcessWasCreatedSince() throws Exception {
        // Other threads of this JVM, or other processes of the host, may create a task at any
        // moment: one round of a few decides by its cursor alone, the control round below is certain.
        boolean provenOnce = false;
        for (int i = 0; i < 10 && !provenOnce; i++) {
            try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "echo ready; exec sleep 600").start()) {
                assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
                ChildProcess child = Internals.childOf(p);
                child.kill();
                p.awaitExit();
                provenOnce = child.awaitListedEnd(TimeUnit.SECONDS.toNanos(20));
            }
        }
        assertTrue(provenOnce, "no kill round of a one-process tree proved its end by events");

        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "echo ready; exec sleep 600").start()) {
            assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
            ChildProcess child = Internals.childOf(p);
            child.kill();
            Process created = new ProcessBuilder("true").start(); // a process created after the listing
            assertEquals(0, created.waitFor());
            p.awaitExit();
            assertFalse(child.awaitListedEnd(TimeUnit.SECONDS.toNanos(20)), "a process was created since the listing");
        }
    }

    @Test
    void aRoundWhoseProcessesStillRunProvesNothing() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "trap '' TERM; echo ready; exec sleep 600").start()) {
            assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
            ProcFs.await(() -> ProcFs.proc(p.pid()).map(s -> s.comm().equals("sleep")).orElse(false), START,
                    () -> "the leader does not run sleep: " + ProcFs.proc(p.pid()));
            ChildProcess child = Internals.childOf(p);
            child.requestStop(); // SIGTERM, ignored
            assertFalse(child.awaitListedEnd(TimeUnit.MILLISECONDS.toNanos(100)), "the leader ignores SIGTERM and runs on");
            assertTrue(ProcFs.running(p.pid()));
        }
    }

    @Test
    void aLoneLeaderIsKnownWithoutAListingOnlyWhileNothingWasCreatedSinceIt() throws Exception {
        // As above: this JVM's threads or the host's processes may move the cursor at any moment.
        boolean aloneOnce = false;
        for (int i = 0; i < 10 && !aloneOnce; i++) {
            try (GroupProcess p = new GroupProcessBuilder("sleep", "600").start()) {
                aloneOnce = Internals.membershipOf(p).leaderAlone() != null;
            }
        }
        assertTrue(aloneOnce, "a sleep that started nothing was never known to be alone");

        try (GroupProcess p = new GroupProcessBuilder("sleep", "600").start()) {
            Process created = new ProcessBuilder("true").start(); // after the leader: it is no longer the last
            assertEquals(0, created.waitFor());
            assertEquals(null, Internals.membershipOf(p).leaderAlone(), "a process was created since the leader");
        }
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & echo ready; wait").start()) {
            assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
            assertEquals(null, Internals.membershipOf(p).leaderAlone(), "the leader has a child");
        }
    }

    /** @return a kill round's listing of {@code p}'s tree, which vouches for the whole tree where it can */
    private static ProcTable.Snapshot listing(GroupProcess p) {
        return TreeWalk.list(List.of(new TreeWalk.Root(p.pid(), TreeWalk.ANY_START)), p.processGroupId(), true);
    }
}
