package io.github.procgroup;

import io.github.procgroup.scenarios.RunScenarios;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs whose settings are process-wide, each in a JVM of its own. */
@ExtendWith(NoLeftovers.class)
class RunJvmTest {

    @Test
    @Timeout(90)
    void aRunInProgressEndsWithTheJvmUnderKillOnJvmExit() throws Exception {
        long pgid;
        try (ChildJvm jvm = ChildJvm.start(RunScenarios.class, "jvm-exit-during-run", "true")) {
            pgid = Long.parseLong(jvm.read("pgid"));
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(30)));
        }
        ProcFs.await(() -> ProcFs.liveMembers(pgid).isEmpty(), Duration.ofSeconds(10),
                () -> "the run's tree outlived the JVM: " + ProcFs.liveMembers(pgid));
    }

    @Test
    @Timeout(90)
    void withoutKillOnJvmExitTheRunsTreeOutlivesTheJvm() throws Exception {
        long pgid;
        try (ChildJvm jvm = ChildJvm.start(RunScenarios.class, "jvm-exit-during-run", "false")) {
            pgid = Long.parseLong(jvm.read("pgid"));
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(30)));
        }
        try {
            ProcFs.assertHolds(() -> ProcFs.liveMembers(pgid).size() == 3, Duration.ofSeconds(1),
                    () -> "the tree runs on: " + ProcFs.liveMembers(pgid));
        } finally {
            for (ProcFs.Proc p : ProcFs.liveMembers(pgid)) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
            ProcFs.await(() -> ProcFs.liveMembers(pgid).isEmpty(), Duration.ofSeconds(10), () -> "cleanup");
        }
    }

    @Test
    @Timeout(120)
    void underASubreaperEveryStageKeepsItsExitStatusAndNothingIsLeft() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(RunScenarios.class, "subreaper-pipeline")) {
            assertEquals("0", jvm.read("wrong"), "every run saw [exit 0, exit 5, exit 7]");
            assertEquals("0", jvm.read("children"));
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(30)));
        }
    }
}
