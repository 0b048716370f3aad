package io.github.procgroup;

import io.github.procgroup.testing.Backends;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import io.github.procgroup.testing.Programs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pipelines: every stage in one process group, kernel pipes between stages, run semantics over the whole pipeline. */
@ExtendWith(NoLeftovers.class)
class PipelineTest {

    private static GroupProcessBuilder b(String... command) {
        return new GroupProcessBuilder(command);
    }

    @Test
    @Timeout(120)
    void threeStagesCountAHundredMegabytes() throws Exception {
        ProcessResult r = GroupProcessBuilder.runPipeline(
                List.of(b("yes"), b("head", "-c", "100M"), b("wc", "-c")), Duration.ofSeconds(100));
        assertEquals("104857600", r.stdout().strip());
        assertFalse(r.timedOut());
        assertEquals(ExitStatus.exited(0), r.exitStatus(), "the last stage's status");
        assertEquals(3, r.stageStatuses().size());
        assertEquals(Signal.PIPE, r.stageStatuses().get(0).signal().orElseThrow(), "yes ends by SIGPIPE once head is done");
        assertEquals("yes | head -c 100M | wc -c", r.command());
        assertTrue(r.isSuccess());
    }

    @Test
    @Timeout(60)
    void everyStageRunsInTheFirstStagesGroupConnectedByPipesTheJvmDoesNotHold() throws Exception {
        List<GroupProcess> stages = GroupProcessBuilder.startPipeline(List.of(b("sleep", "30"), b("cat"), b("cat")));
        try {
            long pgid = stages.get(0).pid();
            for (GroupProcess stage : stages) {
                assertEquals(pgid, stage.processGroupId());
                assertEquals(pgid, ProcFs.proc(stage.pid()).orElseThrow().pgid(), "pgid of " + stage.pid() + " in /proc");
            }
            assertEquals(Set.of(stages.get(0).pid(), stages.get(1).pid(), stages.get(2).pid()),
                    stages.get(1).members().stream().map(ProcessInfo::pid).collect(Collectors.toSet()));
            Set<String> jvmFds = jvmFdTargets();
            for (int i = 0; i < 2; i++) {
                String out = ProcFs.fdTarget(stages.get(i).pid(), 1);
                assertTrue(out.startsWith("pipe:"), out);
                assertEquals(out, ProcFs.fdTarget(stages.get(i + 1).pid(), 0), "stage " + i + " feeds stage " + (i + 1));
                assertFalse(jvmFds.contains(out), "the JVM holds no end of " + out);
            }
            assertNotEquals(ProcFs.fdTarget(stages.get(0).pid(), 1), ProcFs.fdTarget(stages.get(1).pid(), 1));
        } finally {
            stages.get(0).close(); // the first stage's close ends the whole pipeline
        }
        for (GroupProcess stage : stages) {
            stage.awaitExit();
            assertFalse(ProcFs.running(stage.pid()), "stage " + stage.pid() + " ended with the group");
        }
    }

    /** How a test ends a pipeline whose second stage moved out of the group, and the signal that stage dies of. */
    enum StageEnding {
        ITS_OWN_DESTROY(Signal.TERM, (first, moved) -> moved.destroy()),
        ITS_OWN_DESTROY_FORCIBLY(Signal.KILL, (first, moved) -> moved.destroyForcibly()),
        ITS_OWN_CLOSE(Signal.KILL, (first, moved) -> moved.close()),
        THE_FIRST_STAGES_CLOSE(Signal.KILL, (first, moved) -> first.close()),
        THE_FIRST_STAGES_TERMINATE(Signal.TERM, (first, moved) -> first.terminate(Duration.ofSeconds(10)));

        final Signal signal;
        final Action action;

        StageEnding(Signal signal, Action action) {
            this.signal = signal;
            this.action = action;
        }

        interface Action {
            void end(GroupProcess first, GroupProcess moved) throws Exception;
        }
    }

    @ParameterizedTest
    @EnumSource(StageEnding.class)
    @Timeout(60)
    void aLaterStageThatMovedToAnotherGroupIsStillPartOfThePipeline(StageEnding ending) throws Exception {
        // Its own destroy() reaches it through its pidfd, as the JDK's reaches its process wherever
        // its group is; the pipeline's tree holds it wherever its group is, as it holds the leader.
        List<GroupProcess> stages = pipelineWithAStageThatMoved();
        GroupProcess first = stages.get(0);
        GroupProcess moved = stages.get(1);
        try {
            ending.action.end(first, moved);
            assertEquals(ending.signal, moved.awaitExit().signal().orElseThrow(),
                    ending + " ended the stage in the other group");
        } finally {
            moved.signalLeader(Signal.KILL); // only reaches a running stage if an assertion failed
            first.close();
            moved.awaitExit();
        }
    }

    @Test
    @Timeout(60)
    void aRunPipelineWhoseLaterStageMovedToAnotherGroupTimesOutAndEndsIt() throws Exception {
        Backends.assumeNative("a process group a stage can leave");
        ProcessResult r = GroupProcessBuilder.runPipeline(List.of(b("sleep", "600"),
                new GroupProcessBuilder(Programs.joiningTheJvmsGroup("exec 'sleep', '600'"))), Duration.ofSeconds(1));
        assertTrue(r.timedOut());
        assertEquals(2, r.stageStatuses().size());
        assertEquals(Signal.TERM, r.stageStatuses().get(1).signal().orElseThrow(),
                "the stage outside the group got SIGTERM");
    }

    /** sleep 600, then a stage that moves itself into this JVM's group and execs sleep 600. */
    private static List<GroupProcess> pipelineWithAStageThatMoved() throws Exception {
        Backends.assumeNative("a process group a stage can leave");
        long jvmGroup = ProcFs.proc(ProcessHandle.current().pid()).orElseThrow().pgid();
        List<GroupProcess> stages = GroupProcessBuilder.startPipeline(List.of(b("sleep", "600"),
                new GroupProcessBuilder(Programs.joiningTheJvmsGroup("print \"moved\\n\"; exec 'sleep', '600'"))));
        GroupProcess moved = stages.get(1);
        try {
            assertEquals("moved", moved.inputReader(StandardCharsets.UTF_8).readLine());
            ProcFs.await(() -> ProcFs.proc(moved.pid()).map(s -> s.comm().equals("sleep")).orElse(false),
                    Duration.ofSeconds(20), () -> "the stage did not exec sleep: " + ProcFs.proc(moved.pid()));
            assertEquals(jvmGroup, ProcFs.proc(moved.pid()).orElseThrow().pgid(),
                    "the stage left the pipeline's group");
            return stages;
        } catch (Exception | AssertionError e) {
            moved.signalLeader(Signal.KILL);
            stages.get(0).close();
            throw e;
        }
    }

    @Test
    @Timeout(60)
    void aTimeoutOnAPipelineWhoseMiddleStageHangsEndsEveryStage() throws Exception {
        ProcessResult r = GroupProcessBuilder.runPipeline(List.of(
                b("yes").grace(Duration.ofSeconds(2)), // the first stage's grace is the pipeline's
                b("sh", "-c", "read line; sleep 30"), // reads one line, then hangs: yes blocks on the full pipe
                b("cat")), Duration.ofSeconds(2));
        assertTrue(r.timedOut());
        long pgid = r.ended().get(0).processGroupId();
        assertEquals(1, r.ended().stream().map(ProcessInfo::processGroupId).distinct().count(), "one group: " + r.ended());
        assertTrue(r.ended().size() >= 4, "yes, sh, sleep and cat: " + r.ended());
        for (ProcessInfo p : r.ended()) {
            assertFalse(ProcFs.running(p.pid()), "survivor " + p);
        }
        assertEquals(List.of(), ProcFs.liveMembers(pgid));
        assertEquals(3, r.stageStatuses().size());
    }

    @Test
    @Timeout(60)
    void theJdksRedirectRulesAndBadStagesAreRefused() throws Exception {
        assertEquals(List.of(), GroupProcessBuilder.startPipeline(List.of()));
        assertThrows(IllegalArgumentException.class, () -> GroupProcessBuilder.runPipeline(List.of(), Duration.ofSeconds(1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GroupProcessBuilder.startPipeline(
                List.of(b("true").redirectOutput(Redirect.DISCARD), b("cat")))).getMessage()
                .startsWith("builder redirectOutput() must be PIPE except for the last builder"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GroupProcessBuilder.startPipeline(
                List.of(b("true"), b("cat").redirectInput(Redirect.INHERIT)))).getMessage()
                .startsWith("builder redirectInput() must be PIPE except for the first builder"));
        assertThrows(IllegalArgumentException.class, () -> GroupProcessBuilder.startPipeline(
                List.of(b("true"), b("cat").newSession(true))));
        assertThrows(IllegalStateException.class, () -> GroupProcessBuilder.startPipeline(List.of(b("cat").input("x"))));
        assertThrows(IllegalArgumentException.class, () -> GroupProcessBuilder.runPipeline(List.of(b("true")), Duration.ZERO));
        assertTrue(ProcFs.childrenOfThisJvm().isEmpty());
    }

    @Test
    @Timeout(60)
    void aMissingProgramInALaterStageLeavesNothingBehind() throws Exception {
        GroupProcessBuilder.runPipeline(List.of(b("true"))); // the exit watcher's thread and fds, before counting
        int fdsBefore = ProcFs.openFdCount();
        ErrnoException e = assertThrows(ErrnoException.class, () -> GroupProcessBuilder.startPipeline(
                List.of(b("sleep", "30"), b("cat"), b("procgroup-no-such-program"))));
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().contains("procgroup-no-such-program"), e.getMessage());
        assertEquals(List.of(), ProcFs.childrenOfThisJvm(), "the stages started before were killed and reaped");
        assertEquals(fdsBefore, ProcFs.openFdCount(), "no pipe end left open");
    }

    @Test
    @Timeout(60)
    void inputGoesToTheFirstStageAndEveryStagesStderrIsKept() throws Exception {
        ProcessResult r = GroupProcessBuilder.runPipeline(List.of(
                b("sh", "-c", "cat; echo one >&2").input("abc\n"),
                b("sh", "-c", "tr a-z A-Z; echo two >&2")), Duration.ofSeconds(30));
        assertEquals("ABC\n", r.stdout());
        assertEquals("one\ntwo\n", r.stderr(), "stderr in stage order");
        assertTrue(r.ended().isEmpty(), r.ended().toString());
    }

    /** @return what this JVM's fds point to; an fd closed while listing (the listing's own) is left out */
    private static Set<String> jvmFdTargets() throws java.io.IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString();
                } catch (java.io.IOException closed) {
                    return "";
                }
            }).collect(Collectors.toSet());
        }
    }
}
