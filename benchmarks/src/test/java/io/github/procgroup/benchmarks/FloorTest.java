package io.github.procgroup.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(60)
class FloorTest {

    @Test
    void aFloorLineNamesItsMeasureParametersScoreAndUnit() {
        Measurement m = Floor.parse("TreeKillBenchmark n=10,shell=waits 1050.25 us/op");

        assertEquals(new Measurement("TreeKillBenchmark", Floor.METHOD, Map.of("n", "10", "shell", "waits"), false,
                1050.25, "us/op", Map.of()), m);
        assertTrue(Floor.parse("PipeBenchmark - 12.5 ops/s").higherIsBetter(), "a rate");
        assertEquals(Floor.KILL_ROUND,
                Floor.parse("TreeKillBenchmark n=10,reaper=host,shell=waits 1.0 us/op cKillRound").method(),
                "a fifth field names the row's library");
    }

    @Test
    void ofTwoRunsOfTheFloorTheBetterFigureOfEachMeasureIsKept() {
        List<Measurement> before = List.of(Floor.parse("SpawnBenchmark - 1241.00 us/op"),
                Floor.parse("ThroughputBenchmark - 2281.0 ops/s"), Floor.parse("KillBenchmark - 90.00 us/op"));
        List<Measurement> after = List.of(Floor.parse("SpawnBenchmark - 706.00 us/op"),
                Floor.parse("ThroughputBenchmark - 2403.0 ops/s"), Floor.parse("KillBenchmark - 228.00 us/op"));

        assertEquals(List.of(706.0, 2403.0, 90.0), Floor.better(before, after).stream().map(Measurement::score).toList(),
                "the lower time, the higher rate, in the order given");
        assertThrows(IllegalArgumentException.class, () -> Floor.better(before, after.subList(0, 2)));
        assertThrows(IllegalArgumentException.class, () -> Floor.better(before, List.of(after.get(1), after.get(0), after.get(2))));
    }

    @Test
    void aMalformedLineIsRejectedWithTheLineInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Floor.parse("floor: posix_spawnp failed"));
        assertTrue(e.getMessage().contains("floor: posix_spawnp failed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Floor.parse("SpawnBenchmark - fast us/op"));
        assertThrows(IllegalArgumentException.class, () -> Floor.parse("SpawnBenchmark n10 1.0 us/op"));
    }

    /** Compiles and runs the real floor program: its output is what the table reads. */
    @Test
    void theCompiledFloorReportsEveryMeasureInTheTablesFormat(@TempDir Path dir) throws Exception {
        Optional<Floor> floor = Floor.compile(dir);
        assumeTrue(floor.isPresent(), "no working cc found: the C floor is skipped, as the run skips it");

        Measurement spawn = floor.get().run("spawn", "3");
        assertEquals("SpawnBenchmark", spawn.benchmarkClass());
        assertEquals("us/op", spawn.unit());
        assertTrue(spawn.score() > 0, spawn.toString());
        Measurement start = floor.get().run("start", "3");
        assertEquals("StartBenchmark", start.benchmarkClass());
        assertTrue(start.score() > 0, start.toString());
        assertEquals(Map.of("n", "2"), floor.get().run("treekill", "2", "1").params());
        assertEquals(Map.of("sleeps", "2"), floor.get().run("tree", "2", "1").params());
        assertEquals("KillBenchmark", floor.get().run("kill", "1").benchmarkClass());
        assertEquals("ops/s", floor.get().run("pipe", "1", "1").unit());
        assertEquals("ThroughputBenchmark", floor.get().run("threads", "2", "50").benchmarkClass());
        // The kill round checks itself: it fails if its walk did not list the shell and each sleep.
        Measurement round = floor.get().run("killround", "2", "waits", "1");
        assertEquals(Floor.KILL_ROUND, round.method());
        assertEquals(Map.of("n", "2", "shell", "waits", "reaper", "host"), round.params());
        assertEquals(Map.of("n", "2", "shell", "exits", "reaper", Floor.PROMPT),
                floor.get().run(Floor.UNDER_REAPER, "killround", "2", "exits", "1").params(),
                "its orphans found where they went");
    }

    /**
     * The reaper adopts an orphan of its child's tree and reaps it at once, and exits with its
     * child's status: checked from inside by the shell it runs (the orphan's parent, then its pid gone).
     */
    @Test
    void theReaperAdoptsAndReapsOrphansAndExitsAsItsChildDoes(@TempDir Path dir) throws Exception {
        Optional<Floor> floor = Floor.compile(dir);
        assumeTrue(floor.isPresent(), "no working cc found: the C floor is skipped, as the run skips it");
        String script = "sleep_pid=$(sh -c 'sleep 0.2 >/dev/null 2>&1 & echo $!'); "
                + "reaper=$PPID; "
                + "ppid=$(cut -d')' -f2 /proc/$sleep_pid/stat | cut -d' ' -f3); "
                + "[ \"$ppid\" = \"$reaper\" ] || { echo \"orphan's parent $ppid, not the reaper $reaper\"; exit 3; }; "
                + "i=0; while [ -e /proc/$sleep_pid ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; "
                + "[ ! -e /proc/$sleep_pid ] || { echo \"orphan $sleep_pid not reaped\"; exit 4; }; exit 7";
        Process p = new ProcessBuilder(dir.resolve("floor").toString(), "reaper", "sh", "-c", script)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(7, p.waitFor(), "the child's own status, passed on: " + output);

        Path java = floor.get().reapingJava(dir);
        assertTrue(Files.isExecutable(java), java + " is a script JMH can fork with");
        assertTrue(Files.readString(java).contains(Floor.REAPER_ENV + "=" + Floor.PROMPT), Files.readString(java));
    }

    @Test
    void aFailingFloorRunIsReportedWithItsOutput(@TempDir Path dir) throws Exception {
        Optional<Floor> floor = Floor.compile(dir);
        assumeTrue(floor.isPresent(), "no working cc found: the C floor is skipped, as the run skips it");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> floor.get().run("nonsense"));
        assertTrue(e.getMessage().contains("unknown mode nonsense"), e.getMessage());
    }
}
