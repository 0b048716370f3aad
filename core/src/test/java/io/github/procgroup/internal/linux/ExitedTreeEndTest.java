package io.github.procgroup.internal.linux;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code terminate()} and {@code close()} of a child whose whole tree has already ended by
 * itself (the leader reaped, its group empty, nothing known outside it) end it without listing
 * /proc: what the {@code procgroup} command does after every command that exits by itself.
 *
 * <p>The witness is the JVM's own class initialisation, logged by {@code -Xlog:class+init}: every
 * listing reads the JVM's pid ({@link SelfPid}, initialised at the first listing and not before).
 * The contrast, a leader that exits while a member of its group still runs, must be listed, so
 * the witness shows up there: the check can fail.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "spawns through the Linux backend")
@ExtendWith(NoLeftovers.class)
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExitedTreeEndTest {
    private static final String WITNESS = "Initializing '" + SelfPid.class.getName().replace('.', '/') + "'";

    @TempDir
    Path tmp;

    @Test
    void terminateOfATreeThatEndedByItselfListsNothing() throws Exception {
        assertFalse(listedIn("alone"), "a listing was made for a tree already gone");
    }

    @Test
    void terminateOfALeaderWhoseGroupLivesOnListsIt() throws Exception {
        assertTrue(listedIn("member"), "no listing was made for a tree with a running member");
    }

    /** @return whether the scenario's JVM listed a tree (initialised {@link SelfPid}) */
    private boolean listedIn(String mode) throws Exception {
        Path log = tmp.resolve(mode + ".txt");
        try (ChildJvm jvm = ChildJvm.start(List.of("-Xlog:class+init=info:file=" + log), Scenario.class, mode)) {
            assertEquals("0", jvm.read("exit"));
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(60)));
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(lines.stream().anyMatch(l -> l.contains("Initializing '" + GroupProcess.class.getName().replace('.', '/'))),
                "this JVM logs class initialisation as expected");
        return lines.stream().anyMatch(l -> l.contains(WITNESS));
    }

    /**
     * Run by the test in a JVM of its own: {@code alone}, {@code true} waited for, then
     * terminate() and close(); {@code member}, a shell that leaves a sleep in its group and exits,
     * then the same. Prints {@code exit=CODE}.
     */
    public static final class Scenario {
        private Scenario() {
        }

        public static void main(String[] args) throws Exception {
            List<String> command = args[0].equals("alone") ? List.of("true")
                    : List.of("sh", "-c", "sleep 600 & exit 0");
            try (GroupProcess p = new GroupProcessBuilder(command).start()) {
                int code = p.waitFor();
                p.terminate(Duration.ofSeconds(5));
                System.out.println("exit=" + code);
            }
        }
    }
}
