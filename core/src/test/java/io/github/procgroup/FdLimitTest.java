package io.github.procgroup;

import io.github.procgroup.scenarios.FdLimitScenario;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM that has used up its fd limit ({@code ulimit -n 64}) still ends its trees: close()
 * and the killOnJvmExit hook kill the leader, its member and its escapee (which needs a /proc
 * listing to be found).
 */
@ExtendWith(NoLeftovers.class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FdLimitTest {
    private static final Duration GONE = Duration.ofSeconds(10);
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void closeEndsTheTreeAtTheFdLimit() throws Exception {
        Process jvm = startAtFdLimit("close");
        try {
            BufferedReader out = jvm.inputReader(StandardCharsets.UTF_8);
            List<Long> tree = pids(read(out, "pids"));
            String exhausted = read(out, "exhausted");
            assertTrue(exhausted.contains("Too many open files"), exhausted);
            assertEquals("ok", read(out, "closed"), "close() at the fd limit");
            assertAllGone(tree);
        } finally {
            jvm.destroyForcibly().waitFor();
        }
    }

    @Test
    void theExitHookEndsTheTreeAtTheFdLimit() throws Exception {
        Process jvm = startAtFdLimit("exit-hook");
        try {
            BufferedReader out = jvm.inputReader(StandardCharsets.UTF_8);
            List<Long> tree = pids(read(out, "pids"));
            read(out, "exhausted");
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the JVM did not exit");
            assertAllGone(tree);
        } finally {
            jvm.destroyForcibly().waitFor();
        }
    }

    @Test
    void aStartThatRunsOutOfFdsLeaksNothingAndNamesTheProgram() throws Exception {
        Process jvm = startAtFdLimit("helper-sweep");
        try {
            BufferedReader out = jvm.inputReader(StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            for (String line = out.readLine(); line != null && !line.equals("done=1"); line = out.readLine()) {
                if (line.startsWith("k=")) {
                    lines.add(line);
                }
            }
            assertEquals(25, lines.size(), "one line per fd budget: " + lines);
            boolean helperFailed = false;
            for (String line : lines) {
                assertTrue(line.contains(" leaked=0 "), line);
                assertTrue(line.contains(" children=0 "), line);
                String outcome = line.substring(line.indexOf("outcome=") + "outcome=".length());
                if (!outcome.equals("started")) {
                    assertTrue(outcome.contains("\"cat\"") && outcome.contains("EMFILE"), line);
                    helperFailed |= outcome.contains("parent-death helper");
                }
            }
            assertTrue(helperFailed, "no budget made the parent-death helper fail: " + lines);
        } finally {
            jvm.destroyForcibly().waitFor();
        }
    }

    private void assertAllGone(List<Long> tree) {
        assertEquals(3, tree.size(), "leader, member, escapee: " + tree);
        ProcFs.await(() -> tree.stream().noneMatch(ProcFs::running), GONE,
                () -> "still running: " + tree.stream().filter(ProcFs::running).map(ProcFs::proc).toList());
    }

    private List<Long> pids(String csv) {
        List<Long> pids = Arrays.stream(csv.split(",")).map(Long::parseLong).toList();
        started.addAll(pids);
        return pids;
    }

    private static String read(BufferedReader out, String key) throws IOException {
        while (true) {
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("the scenario JVM ended before printing " + key);
            }
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1);
            }
        }
    }

    /** Starts the scenario in a JVM whose fd limit is 64, set by the shell that then execs java. */
    private static Process startAtFdLimit(String mode) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "ulimit -n 64 && exec \"$@\"", "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), FdLimitScenario.class.getName(), mode));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
