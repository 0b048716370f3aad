package io.github.procgroup.cli;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's start-up cache (docs/cli.md, "Start-up cache"), each test with a cache directory
 * of its own ({@code XDG_CACHE_HOME}): made on the first run by a silent training run, mapped by
 * the JVM on the runs that follow (seen in the JVM's class-loading log, which names the classes it
 * took from a mapped archive {@code source: shared objects file}), and never a change to what the
 * command prints or exits with, also when the cache is damaged, switched off or made by two runs
 * at once.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LauncherCacheIT {
    /** A run whose every output is checked: stdout, stderr and a status of its own. */
    private static final String[] SCRIPT = {"--", "sh", "-c", "echo out; echo err >&2; exit 3"};
    private static final String MAIN_FROM_CACHE = "io.github.procgroup.cli.Main source: shared objects file";
    private static final String MAIN_FROM_JAR = "io.github.procgroup.cli.Main source: file:";

    @TempDir
    Path dir;
    private final List<Command> commands = new ArrayList<>();

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (Command c : commands) {
            c.cleanUp();
        }
    }

    /** A launcher run with the test's own cache directory, PROCGROUP_CACHE=mode, in a directory of its own. */
    private Command launcher(String name, String mode) throws IOException {
        Path runDir = Files.createDirectories(dir.resolve(name));
        Command c = new Command(runDir, Command.Runner.LAUNCHER)
                .environment("XDG_CACHE_HOME", dir.resolve("cache").toString())
                .environment("PROCGROUP_CACHE", mode)
                .environment("PROCGROUP_JAVA_OPTS", "-Xlog:class+load=info:file=" + runDir.resolve("classes.log"));
        commands.add(c);
        return c;
    }

    private Path cacheDir() {
        return dir.resolve("cache").resolve("procgroup");
    }

    private List<Path> cacheFiles(String mode) throws IOException {
        if (!Files.isDirectory(cacheDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cacheDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith("." + mode)).sorted().toList();
        }
    }

    private List<String> leftoverTemporaries() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".tmp")).toList();
        }
    }

    private static String classLog(String name, Path dir) throws IOException {
        return Files.readString(dir.resolve(name).resolve("classes.log"));
    }

    private static void assumeAotWhere(String mode) {
        Assumptions.assumeTrue(!mode.equals("aot") || Runtime.version().feature() >= 24,
                "AOT caches need Java 24+; the launcher uses a class-data archive below");
    }

    /** The first run makes the cache before the command runs; the next runs map it. Output and status unchanged. */
    @ParameterizedTest(name = "PROCGROUP_CACHE={0}")
    @ValueSource(strings = {"aot", "cds"})
    void theFirstRunMakesTheCacheAndTheNextRunsMapIt(String mode) throws Exception {
        assumeAotWhere(mode);
        Command first = launcher("first", mode);
        assertEquals(3, first.run(SCRIPT), first.stderr());
        assertEquals("out\n", first.stdout());
        assertEquals("err\n", first.stderr(), "the training run or the launcher printed something");
        assertEquals(1, cacheFiles(mode).size(), "cache files: " + cacheFiles(mode));
        assertEquals(List.of(), leftoverTemporaries());

        Command second = launcher("second", mode);
        assertEquals(3, second.run(SCRIPT), second.stderr());
        assertEquals("out\n", second.stdout());
        assertEquals("err\n", second.stderr());
        assertTrue(classLog("second", dir).contains(MAIN_FROM_CACHE), "the JVM did not map the cache");
        assertEquals(1, cacheFiles(mode).size(), "the second run made another cache: " + cacheFiles(mode));
    }

    /** A damaged cache file (garbage, or cut short) is skipped by the JVM: same output, same status, no word of it. */
    @ParameterizedTest(name = "PROCGROUP_CACHE={0}")
    @ValueSource(strings = {"aot", "cds"})
    void aDamagedCacheChangesNothingTheCommandPrintsOrExitsWith(String mode) throws Exception {
        assumeAotWhere(mode);
        Command first = launcher("first", mode);
        assertEquals(3, first.run(SCRIPT), first.stderr());
        Path cache = cacheFiles(mode).getFirst();
        byte[] whole = Files.readAllBytes(cache);

        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(42).nextBytes(garbage);
        for (byte[] damaged : List.of(garbage, java.util.Arrays.copyOf(whole, whole.length / 3))) {
            Files.write(cache, damaged);
            Files.setLastModifiedTime(cache, FileTime.from(Instant.now())); // newer than the jar: not remade as stale
            Command run = launcher("damaged" + damaged.length, mode);
            assertEquals(3, run.run(SCRIPT), run.stderr());
            assertEquals("out\n", run.stdout());
            assertEquals("err\n", run.stderr(), "the JVM reported the damaged cache");
            assertTrue(classLog("damaged" + damaged.length, dir).contains(MAIN_FROM_JAR),
                    "a damaged cache was mapped");
        }
    }

    /** PROCGROUP_CACHE=off: the cache is not used, and the output and statuses are those of a run with it. */
    @Test
    void withTheCacheOffTheCommandBehavesTheSame() throws Exception {
        String[][] runs = {
            SCRIPT,
            {"--", "sh", "-c", "kill -KILL $$"},
            {"--", "no-such-command-procgroup-it"},
            {"--timeout", "100ms", "--", "sh", "-c", "echo started; sleep 100"},
            {"--no-such-option"},
            {"--version"},
        };
        int n = 0;
        for (String[] args : runs) {
            Command cached = launcher("cached" + n, "auto");
            Command off = launcher("off" + n, "off");
            int cachedStatus = cached.run(args);
            int offStatus = off.run(args);
            String what = String.join(" ", args);
            assertEquals(offStatus, cachedStatus, what + ": " + cached.stderr());
            assertEquals(off.stdout(), cached.stdout(), what);
            assertEquals(off.stderr(), cached.stderr(), what);
            assertTrue(classLog("off" + n, dir).contains(MAIN_FROM_JAR), what + ": the cache was used with PROCGROUP_CACHE=off");
            n++;
        }
        String mode = Runtime.version().feature() >= 24 ? "aot" : "cds";
        assertEquals(1, cacheFiles(mode).size(), "cache files: " + cacheFiles(mode));
    }

    /** Two first runs at once: both run the command as usual, one cache is left, no temporary file. */
    @Test
    void twoFirstRunsAtOnceLeaveOneWholeCache() throws Exception {
        Command a = launcher("a", "auto");
        Command b = launcher("b", "auto");
        GroupProcess runA = a.start(SCRIPT);
        GroupProcess runB = b.start(SCRIPT);
        assertTrue(runA.waitFor(4, TimeUnit.MINUTES) && runB.waitFor(1, TimeUnit.MINUTES), "the launchers did not exit");
        for (Command c : List.of(a, b)) {
            assertEquals("out\n", c.stdout());
            assertEquals("err\n", c.stderr());
        }
        assertEquals(3, runA.exitValue());
        assertEquals(3, runB.exitValue());
        String mode = Runtime.version().feature() >= 24 ? "aot" : "cds";
        assertEquals(1, cacheFiles(mode).size(), "cache files: " + cacheFiles(mode));
        assertEquals(List.of(), leftoverTemporaries());

        Command next = launcher("next", "auto");
        assertEquals(3, next.run(SCRIPT), next.stderr());
        assertTrue(classLog("next", dir).contains(MAIN_FROM_CACHE), "the JVM did not map the cache");
    }

    /** A rebuilt jar (here: the same bytes, a newer time, as a reproducible build gives) gets a new cache, the old one goes. */
    @Test
    void aRebuiltJarGetsItsCacheRemade() throws Exception {
        Path jar = dir.resolve("procgroup.jar");
        Files.copy(Command.JAR, jar);
        Command first = launcher("first", "auto").environment("PROCGROUP_JAR", jar.toString());
        assertEquals(3, first.run(SCRIPT), first.stderr());
        String mode = Runtime.version().feature() >= 24 ? "aot" : "cds";
        Path cache = cacheFiles(mode).getFirst();
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(30)));

        Command rebuilt = launcher("rebuilt", "auto").environment("PROCGROUP_JAR", jar.toString());
        assertEquals(3, rebuilt.run(SCRIPT), rebuilt.stderr());
        assertEquals("err\n", rebuilt.stderr());
        assertTrue(classLog("rebuilt", dir).contains(MAIN_FROM_CACHE), "the remade cache was not mapped");
        assertTrue(Files.getLastModifiedTime(cache).toInstant().isAfter(Files.getLastModifiedTime(jar).toInstant()),
                "the cache was not remade");
    }
}
