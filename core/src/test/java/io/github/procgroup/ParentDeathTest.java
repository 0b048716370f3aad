package io.github.procgroup;

import io.github.procgroup.scenarios.Scenarios;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens to a tree when the JVM that started it dies: killOnParentDeath (the JVM is
 * SIGKILLed), the shutdown hook (the JVM exits), and ParentDeath.signalMe for a JVM that is a
 * child. Each JVM that dies is a scenario JVM, never the test's.
 */
@ExtendWith(NoLeftovers.class)
class ParentDeathTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private final List<Long> groupsToKill = new ArrayList<>();
    private final List<Long> pidsToKill = new ArrayList<>();

    @AfterEach
    void killWhatTheScenariosLeft() {
        for (long pgid : groupsToKill) {
            ProcFs.liveMembers(pgid).forEach(m -> ProcessHandle.of(m.pid()).ifPresent(ProcessHandle::destroyForcibly));
            ProcFs.await(() -> ProcFs.liveMembers(pgid).isEmpty(), Duration.ofSeconds(10),
                    () -> "group " + pgid + " still runs: " + ProcFs.group(pgid));
        }
        for (long pid : pidsToKill) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcFs.await(() -> !ProcFs.running(pid), Duration.ofSeconds(10), () -> pid + " still runs");
        }
    }

    @Test
    void aTreeWithKillOnParentDeathDiesWithItsSigkilledJvm() throws Throwable {
        try (ChildJvm jvm = ChildJvm.start(Scenarios.class, "kill-on-parent-death", "true")) {
            long pgid = treeOf(jvm);
            assertEquals(5, ProcFs.awaitLiveMembers(pgid, 5, Duration.ofSeconds(20)).size(),
                    "4 processes and the sentinel: " + ProcFs.group(pgid));
            killAndAwaitTreeGone(pgid, "killOnParentDeath", jvm::kill);
        }
    }

    @Test
    void theTreeDiesWithTheJvmAlsoWhenASubreaperInTheJvmsSessionAdoptsIt() throws Throwable {
        // The orphaned-process-group rule never fires here: the adopter is in the group's session.
        try (ChildJvm supervisor = ChildJvm.start(Scenarios.class, "subreaper-supervisor", "true")) {
            long jvm = Long.parseLong(supervisor.read("jvm"));
            pidsToKill.add(jvm);
            long pgid = treeOf(supervisor);
            assertEquals(5, ProcFs.awaitLiveMembers(pgid, 5, Duration.ofSeconds(20)).size(), "with the sentinel");
            assertEquals(ProcFs.proc(supervisor.pid()).orElseThrow().sid(), ProcFs.proc(pgid).orElseThrow().sid(),
                    "the subreaper and the tree share a session");
            killAndAwaitTreeGone(pgid, "killOnParentDeath under a subreaper",
                    () -> ProcessHandle.of(jvm).orElseThrow().destroyForcibly());
        }
    }

    @Test
    void membersOutliveTheirLeaderWhileTheJvmLivesAndDieWithIt() throws Throwable {
        try (ChildJvm jvm = ChildJvm.start(Scenarios.class, "kill-on-parent-death-leader-exits")) {
            long pgid = treeOf(jvm);
            assertEquals("0", jvm.read("leader"));
            assertEquals(2, ProcFs.awaitLiveMembers(pgid, 2, Duration.ofSeconds(20)).size(), "the sleep and the sentinel");
            // The leader's exit must not end the group while the JVM lives.
            ProcFs.assertHolds(() -> ProcFs.liveMembers(pgid).size() == 2, Duration.ofMillis(500),
                    () -> "the group ended early: " + ProcFs.group(pgid));
            List<ProcFs.Proc> members = ProcFs.liveMembers(pgid);
            assertTrue(members.stream().anyMatch(m -> m.comm().equals("sleep") && m.ppid() != jvm.pid()),
                    "the sleep, adopted by init: " + members);
            killAndAwaitTreeGone(pgid, "killOnParentDeath after the leader's exit", jvm::kill);
        }
    }

    @Test
    void withoutItTheTreeSurvivesTheSigkilledJvm() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(Scenarios.class, "kill-on-parent-death", "false")) {
            long pgid = treeOf(jvm);
            ProcFs.awaitLiveMembers(pgid, 4, Duration.ofSeconds(20));
            jvm.kill();
            // For the time the other test allows, checked throughout.
            ProcFs.assertHolds(() -> ProcFs.liveMembers(pgid).size() == 4, DEADLINE,
                    () -> "the orphans should run on: " + ProcFs.group(pgid));
        }
    }

    @Test
    void theShutdownHookKillsTheTreeWhenTheJvmExits() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(Scenarios.class, "jvm-exit", "true")) {
            long pgid = treeOf(jvm);
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(20)));
            ProcFs.await(() -> ProcFs.liveMembers(pgid).isEmpty(), DEADLINE,
                    () -> "alive after the JVM exited: " + ProcFs.liveMembers(pgid));
        }
    }

    @Test
    void killOnJvmExitFalseLetsTheTreeOutliveTheJvm() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(Scenarios.class, "jvm-exit", "false")) {
            long pgid = treeOf(jvm);
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(20)));
            ProcFs.awaitLiveMembers(pgid, 4, Duration.ofSeconds(5));
            ProcFs.assertHolds(() -> ProcFs.liveMembers(pgid).size() == 4, Duration.ofMillis(500),
                    () -> "the tree should outlive the JVM: " + ProcFs.group(pgid));
        }
    }

    @Test
    void signalMeEndsAJavaChildWhenItsParentIsSigkilled() throws Exception {
        try (ChildJvm parent = ChildJvm.start(Scenarios.class, "signal-me-parent")) {
            long child = Long.parseLong(parent.read("child"));
            pidsToKill.add(child);
            assertEquals("1", parent.read("ready"));
            assertTrue(ProcFs.running(child));
            parent.kill();
            ProcFs.await(() -> !ProcFs.running(child), DEADLINE, () -> "the child JVM survived its parent: " + ProcFs.proc(child));
            assertFalse(ProcFs.running(child));
        }
    }

    @Test
    void signalMeFiresWhenTheParentThreadThatStartedTheChildEndsThoughTheParentLives() throws Exception {
        try (ChildJvm parent = ChildJvm.start(Scenarios.class, "signal-me-thread-parent")) {
            assertEquals("1", parent.read("child-ready"));
            long child = Long.parseLong(parent.read("child"));
            pidsToKill.add(child);
            ProcFs.await(() -> !ProcFs.running(child), DEADLINE,
                    () -> "the child outlived the thread that started it: " + ProcFs.proc(child));
            assertTrue(ProcFs.running(parent.pid()), "while its parent process still runs (the documented caveat)");
        }
    }

    @Test
    void signalMeWithTheParentsPidCatchesAParentThatDiedBeforeTheCall(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        try (ChildJvm parent = ChildJvm.start(Scenarios.class, "signal-me-late-parent", report.toString())) {
            long child = Long.parseLong(parent.read("child"));
            pidsToKill.add(child);
            parent.kill(); // the child waits for this before it calls signalMe(KILL, parent's pid)
            ProcFs.await(() -> !ProcFs.running(child), Duration.ofSeconds(20),
                    () -> "the child JVM survived: " + ProcFs.proc(child) + " " + read(report));
            assertEquals("calling\n", read(report), "it died in the call, killed by its own signal");
        }
    }

    /** @return the group the scenario reports as {@code pgid=}, which the cleanup will kill if it must */
    private long treeOf(ChildJvm scenario) throws java.io.IOException {
        long pgid = Long.parseLong(scenario.read("pgid"));
        groupsToKill.add(pgid);
        return pgid;
    }

    /** Runs {@code sigkill} (the JVM's death), then allows 2 s for the last live member of {@code pgid} to die. */
    private static void killAndAwaitTreeGone(long pgid, String what, Executable sigkill) throws Throwable {
        long killed = System.nanoTime();
        sigkill.execute();
        ProcFs.await(() -> ProcFs.liveMembers(pgid).isEmpty(), DEADLINE,
                () -> "alive 2 s after the JVM's SIGKILL: " + ProcFs.liveMembers(pgid));
        System.out.printf("%s: tree gone %d ms after the JVM's SIGKILL%n", what, (System.nanoTime() - killed) / 1_000_000);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no report: " + e + ")";
        }
    }

}
