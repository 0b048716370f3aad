package io.github.procgroup;

import io.github.procgroup.scenarios.Scenarios;
import io.github.procgroup.scenarios.ShortEscapeesScenario;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Subreaper mode, in a JVM of its own (the setting is process-wide and cannot be undone): a
 * setsid'd child and a double-forked daemon are traced, killed by close() and reaped. The
 * control without a subreaper is in TreeGuaranteesTest.
 */
@ExtendWith(NoLeftovers.class)
class SubreaperTest {

    @Test
    void escapeesAreTracedKilledAndReaped() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(Scenarios.class, "subreaper")) {
            assertEquals("true", jvm.read("enabled"));
            long setsid = Long.parseLong(jvm.read("setsid"));
            long daemon = Long.parseLong(jvm.read("daemon"));
            assertEquals("true,true", jvm.read("traced"), "tree() lists both escapees");
            assertEquals("0", jvm.read("survivors"), "close() killed both");
            assertEquals("[]", jvm.read("zombies"), "the JVM reaped them");
            assertEquals("7", jvm.read("jdkExit"), "a ProcessBuilder child keeps its exit status under the tracker");
            assertEquals("0", jvm.read("children"), "nothing left under the subreaper JVM");
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(20)));
            assertFalse(ProcFs.running(setsid));
            assertFalse(ProcFs.running(daemon));
        }
    }

    @Test
    void aSupervisorReapsEveryOrphanAndEndsWhatItAdopted() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(Scenarios.class, "subreaper-all-orphans")) {
            assertEquals("true", jvm.read("refused"), "endAdopted outside ALL_ORPHANS would take the JDK's children");
            assertEquals("true", jvm.read("orphanReaped"), "an orphan of a ProcessBuilder child is reaped too");
            assertEquals("true", jvm.read("killed"), "endAdopted reports the untraceable daemon it killed");
            assertEquals("true", jvm.read("daemonGone"), "killed and reaped: not even a zombie");
            assertEquals("0", jvm.read("children"), "nothing left under the supervisor JVM");
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(20)));
        }
    }

    @Test
    void escapeesThatExitBeforeTheTrackerSeesThemAreReapedToo() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(ShortEscapeesScenario.class)) {
            assertEquals("[]", jvm.read("zombies"), "20 short-lived escapees and a daemon's middle process");
            assertEquals("7", jvm.read("jdkExit"), "a ProcessBuilder child keeps its exit status");
            assertEquals("0", jvm.read("children"), "nothing left under the subreaper JVM");
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(20)));
        }
    }
}
