package io.github.procgroup.cli;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.Signal;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command through its launcher, {@code bin/procgroup}, run as from a fresh shell on a machine
 * whose default java is 17 (see {@link Command}): it must find a Java 22+ itself, and behave as the
 * jar does (exit statuses, signals reach the command, nothing left behind).
 */
@ExtendWith(NoLeftovers.class)
class LauncherIT {
    @TempDir
    Path dir;
    private Command command;

    @BeforeEach
    void setUp() {
        command = new Command(dir, Command.Runner.LAUNCHER);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        command.cleanUp();
    }

    /** The first command the README shows. */
    @Test
    void theMainJobEndsTheWholeTreeAndExits124() throws Exception {
        int status = command.run("--timeout", "5s", "--", "sh", "-c",
                "echo $$ > " + dir.resolve("pgid") + "; sleep 100 & sleep 100 & wait");
        long pgid = command.awaitNumber("pgid");
        command.track(pgid);

        assertEquals(124, status, command.stderr());
        assertEquals(List.of(), ProcFs.liveMembers(pgid));
        assertEquals("", command.stderr(), "the launcher added output of its own");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"'exit 3', 3", "'kill -KILL $$', 137", "'exec no-such-command-procgroup-it', 127"})
    void exitsWithTheCommandsStatus(String script, int expected) throws Exception {
        assertEquals(expected, command.run("--", "sh", "-c", script), command.stderr());
    }

    /** The launcher execs the JVM, so a signal to its pid reaches procgroup, which forwards it. */
    @Test
    void aSignalToTheLauncherReachesTheCommand() throws Exception {
        GroupProcess launcher = command.start("--", "sh", "-c",
                "D=$0; trap 'exit 42' TERM; echo $$ > $D/pgid; while :; do sleep 0.1; done", dir.toString());
        command.track(command.awaitNumber("pgid"));

        assertTrue(launcher.signalLeader(Signal.TERM));

        assertEquals(42, launcher.awaitExit(Duration.ofSeconds(30)).orElseThrow().shellCode(), command.stderr());
    }

    /** bin/find-jdk, shared by the launcher and .ci/run, skips a JAVA_HOME that is too old. */
    @Test
    void findJdkSkipsAnOldJavaHomeAndSaysWhereItLookedWhenThereIsNone() throws Exception {
        Path findJdk = Command.LAUNCHER.resolveSibling("find-jdk");
        ProcessBuilder found = new ProcessBuilder(findJdk.toString(), "22").redirectOutput(dir.resolve("home").toFile());
        Command.asFromAFreshShell(found.environment());
        if (Command.OLD_JAVA_HOME != null) {
            found.environment().put("JAVA_HOME", Command.OLD_JAVA_HOME.toString());
        }
        assertEquals(0, waitFor(found.start()));
        Path home = Path.of(Files.readString(dir.resolve("home")).strip());
        String release = Files.readString(home.resolve("release"));
        int feature = Integer.parseInt(release.replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1"));
        assertTrue(feature >= 22, home + " is Java " + feature);

        ProcessBuilder none = new ProcessBuilder(findJdk.toString(), "1000").redirectError(dir.resolve("err").toFile());
        assertEquals(1, waitFor(none.start()));
        assertTrue(Files.readString(dir.resolve("err")).contains("no Java 1000 or newer found"), Files.readString(dir.resolve("err")));
    }

    private static int waitFor(Process p) throws InterruptedException {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "find-jdk did not exit");
        return p.exitValue();
    }
}
