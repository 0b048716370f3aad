package io.github.procgroup.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
        assertEquals(Map.of("n", "2"), floor.get().run("treekill", "2", "1").params());
        assertEquals(Map.of("sleeps", "2"), floor.get().run("tree", "2", "1").params());
        assertEquals("KillBenchmark", floor.get().run("kill", "1").benchmarkClass());
        assertEquals("ops/s", floor.get().run("pipe", "1", "1").unit());
        assertEquals("ThroughputBenchmark", floor.get().run("threads", "2", "50").benchmarkClass());
    }

    @Test
    void aFailingFloorRunIsReportedWithItsOutput(@TempDir Path dir) throws Exception {
        Optional<Floor> floor = Floor.compile(dir);
        assumeTrue(floor.isPresent(), "no working cc found: the C floor is skipped, as the run skips it");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> floor.get().run("nonsense"));
        assertTrue(e.getMessage().contains("unknown mode nonsense"), e.getMessage());
    }
}
