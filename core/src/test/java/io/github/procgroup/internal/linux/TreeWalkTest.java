package io.github.procgroup.internal.linux;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.Signal;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tree's own listing, from the children files ({@link TreeWalk}), against the host-wide one it
 * replaces (the seam makes the children files unavailable, as on a kernel without them): both
 * find a member's grandchild, a setsid child, and an orphaned member with its setsid child (found
 * among the children of the JVM's ancestors). And the waits by pidfd: a tree whose members obey
 * SIGTERM ends in terminate() with no survivor and no zombie.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TreeWalkTest {
    private static final Duration START = Duration.ofSeconds(20);

    @AfterEach
    void restore() {
        TreeWalk.disableForTests(false);
    }

    @Test
    void thisKernelHasTheChildrenFiles() {
        long self = ProcessHandle.current().pid();
        boolean present = Files.isReadable(Path.of("/proc/" + self + "/task/" + self + "/children"));
        assertEquals(present, TreeWalk.available(), "available() follows the kernel (CONFIG_PROC_CHILDREN)");
    }

    @ParameterizedTest(name = "children files unavailable: {0}")
    @ValueSource(booleans = {false, true})
    void treeFindsAGrandchildASetsidChildAndAnOrphanedMembersSetsidChild(boolean fallback) throws Exception {
        TreeWalk.disableForTests(fallback);
        // The leader: a member with a child of its own (a grandchild), a setsid child, and a subshell
        // that leaves behind an orphaned member (re-parented out of the tree) with a setsid child.
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "sh -c 'sleep 600 & echo $!; wait' & "
                        + "setsid sleep 601 & echo $!; "
                        + "(sh -c 'setsid sleep 603 & echo $!; exec sleep 602' & echo $!) ; "
                        + "wait").start();
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                pids.add(Long.parseLong(out.readLine().trim()));
            }
            long pgid = p.processGroupId();
            long grandchild = pidOf(pids, "sleep 600", pgid);
            long setsid = pidOf(pids, "sleep 601", -1);
            long orphan = pidOf(pids, "sleep 602", pgid);
            long orphansChild = pidOf(pids, "sleep 603", -1);
            ProcFs.await(() -> ProcFs.proc(orphan).map(o -> ProcFs.proc(o.ppid()).map(q -> q.pgid() != pgid).orElse(true))
                            .orElse(false)
                            && ProcFs.proc(setsid).map(s -> s.sid() == setsid).orElse(false)
                            && ProcFs.proc(orphansChild).map(s -> s.sid() == orphansChild).orElse(false),
                    START, () -> "tree not set up: " + ProcFs.proc(orphan) + " " + ProcFs.proc(setsid));

            Set<Long> tree = p.tree().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
            assertTrue(tree.containsAll(List.of(p.pid(), grandchild, setsid, orphan, orphansChild)),
                    "tree " + tree + " lacks one of " + List.of(p.pid(), grandchild, setsid, orphan, orphansChild));
            Set<Long> members = p.members().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
            assertTrue(members.containsAll(List.of(p.pid(), grandchild, orphan)), "members " + members);
            assertFalse(members.contains(setsid) || members.contains(orphansChild), "left the group: " + members);

            p.close();
            for (long pid : List.of(grandchild, setsid, orphan, orphansChild)) {
                assertFalse(ProcFs.running(pid), "close() ended " + pid + " (" + ProcFs.proc(pid) + ")");
            }
        } finally {
            p.close();
        }
    }

    /** @return which of {@code pids} runs {@code command}, waiting until it does (a fork runs the shell first) */
    private static long pidOf(List<Long> pids, String command, long expectedPgid) {
        long[] found = {-1};
        ProcFs.await(() -> {
            for (long pid : pids) {
                if (ProcFs.proc(pid).map(s -> String.join(" ", cmdline(pid)).equals(command)).orElse(false)) {
                    found[0] = pid;
                    return true;
                }
            }
            return false;
        }, START, () -> "no process runs " + command + " among " + pids);
        if (expectedPgid > 0) {
            assertEquals(expectedPgid, ProcFs.proc(found[0]).orElseThrow().pgid(), command + " is a member");
        }
        return found[0];
    }

    private static List<String> cmdline(long pid) {
        try {
            String raw = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            return List.of(raw.split("\0"));
        } catch (java.io.IOException gone) {
            return List.of();
        }
    }

    @ParameterizedTest(name = "children files unavailable: {0}")
    @ValueSource(booleans = {false, true})
    void terminateOfMembersObeyingTermLeavesNoSurvivorAndNoZombie(boolean fallback) throws Exception {
        TreeWalk.disableForTests(fallback);
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 600 & done; echo ready; wait").start();
        assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
        List<Long> sleeps = ProcFs.awaitLiveMembers(p.processGroupId(), 11, START).stream()
                .map(ProcFs.Proc::pid).filter(pid -> pid != p.pid()).toList();
        ExitStatus status = p.terminate(Duration.ofSeconds(60));
        assertEquals(Signal.TERM, status.signal().orElseThrow(), "the leader obeyed SIGTERM: " + status);
        for (long pid : sleeps) {
            assertFalse(ProcFs.running(pid), "survivor " + ProcFs.proc(pid));
        }
        assertEquals(List.of(), ProcFs.childrenOfThisJvm(), "no child of this JVM left, running or zombie");
        p.close();
    }

    @ParameterizedTest(name = "children files unavailable: {0}")
    @ValueSource(booleans = {false, true})
    void terminateEndsTheOrphanedMembersOfALeaderThatHasExited(boolean fallback) throws Exception {
        TreeWalk.disableForTests(fallback);
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "i=0; while [ $i -lt 10 ]; do sleep 600 </dev/null >/dev/null 2>&1 & echo $!; i=$((i+1)); done").start();
        List<Long> sleeps = new ArrayList<>();
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                sleeps.add(Long.parseLong(line.trim()));
            }
        }
        assertEquals(ExitStatus.exited(0), p.awaitExit(), "the shell exits at once, its sleeps run on");
        ProcFs.await(() -> ProcFs.liveMembers(p.processGroupId()).size() == 10, START,
                () -> "sleeps not running: " + ProcFs.liveMembers(p.processGroupId()));
        assertEquals(10, p.tree().size(), "the orphaned members are the tree: " + p.tree());
        p.terminate(Duration.ofSeconds(60));
        for (long pid : sleeps) {
            assertFalse(ProcFs.running(pid), "survivor " + ProcFs.proc(pid));
        }
        p.close();
    }

    @ParameterizedTest(name = "children files unavailable: {0}")
    @ValueSource(booleans = {false, true})
    void aPipelineStageIsInTheTreeAndEndsWithItAfterTheLeaderExited(boolean fallback) throws Exception {
        TreeWalk.disableForTests(fallback);
        // The later stages are children of the JVM in the leader's group, not descendants of the leader.
        List<GroupProcess> stages = GroupProcessBuilder.startPipeline(List.of(
                new GroupProcessBuilder("true"), new GroupProcessBuilder("sleep", "600")));
        GroupProcess first = stages.get(0);
        GroupProcess sleeper = stages.get(1);
        try {
            assertEquals(ExitStatus.exited(0), first.awaitExit());
            ProcFs.await(() -> ProcFs.proc(sleeper.pid()).map(s -> s.comm().equals("sleep")).orElse(false), START,
                    () -> "the second stage does not run sleep: " + ProcFs.proc(sleeper.pid()));
            assertTrue(first.tree().stream().anyMatch(i -> i.pid() == sleeper.pid()), "tree " + first.tree());
            assertTrue(first.members().stream().anyMatch(i -> i.pid() == sleeper.pid()), "members " + first.members());
        } finally {
            first.close(); // the first stage's close ends the whole pipeline
        }
        assertEquals(Signal.KILL, sleeper.awaitExit().signal().orElseThrow());
        assertFalse(ProcFs.running(sleeper.pid()));
    }

    @Test
    void closeEndsEveryMemberAndNothingOfTheTreeIsListedAfterwards() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & sleep 600 & echo ready; wait").start();
        assertEquals("ready", p.inputReader(StandardCharsets.UTF_8).readLine());
        List<Long> members = ProcFs.awaitLiveMembers(p.processGroupId(), 3, START).stream().map(ProcFs.Proc::pid).toList();
        p.close();
        for (long pid : members) {
            assertFalse(ProcFs.running(pid), "survivor " + ProcFs.proc(pid));
        }
        assertEquals(List.of(), p.tree(), "nothing of the tree is listed after close()");
        p.close(); // harmless again
    }
}
