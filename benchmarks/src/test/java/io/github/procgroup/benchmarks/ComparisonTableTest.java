package io.github.procgroup.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTableTest {

    private static Measurement time(String cls, String method, Map<String, String> params, double score,
                                    Map<String, Double> counters) {
        return new Measurement(cls, method, params, false, score, "us/op", counters);
    }

    @Test
    void timesArePairedWithTheirTwinAndTheRatioIsTheirQuotient() {
        ComparisonTable table = new ComparisonTable(List.of(
                time("SpawnBenchmark", "procgroup", Map.of(), 500, Map.of()),
                time("SpawnBenchmark", "processBuilder", Map.of(), 1500, Map.of()),
                time("SpawnBenchmark", "processBuilderVfork", Map.of(), 750, Map.of())));

        assertEquals(List.of(
                new ComparisonTable.Row("spawn+wait /bin/true", 500, 1500, "us/op", 3.0),
                new ComparisonTable.Row("spawn+wait /bin/true (PB VFORK)", 500, 750, "us/op", 1.5)), table.rows());
        assertEquals(List.of("MET     spawn+wait: procgroup 3.00x faster than ProcessBuilder's default (target >= 2x)"),
                table.targets());
    }

    @Test
    void aMissingVforkResultShowsAsNotRun() {
        ComparisonTable table = new ComparisonTable(List.of(
                time("SpawnBenchmark", "processBuilder", Map.of(), 1000, Map.of()),
                time("SpawnBenchmark", "procgroup", Map.of(), 800, Map.of())));

        ComparisonTable.Row vfork = table.rows().get(1);
        assertEquals("spawn+wait /bin/true (PB VFORK)", vfork.benchmark());
        assertTrue(Double.isNaN(vfork.processBuilder()));
        assertTrue(table.render().contains("not run"), table.render());
        assertEquals(List.of("MISSED  spawn+wait: procgroup 1.25x faster than ProcessBuilder's default (target >= 2x)"),
                table.targets());
    }

    @Test
    void throughputRatioIsProcgroupOverProcessBuilder() {
        ComparisonTable table = new ComparisonTable(List.of(
                new Measurement("ThroughputBenchmark", "procgroup", Map.of(), true, 2000, "ops/s", Map.of()),
                new Measurement("ThroughputBenchmark", "processBuilder", Map.of(), true, 800, "ops/s", Map.of())));

        assertEquals(2.5, table.rows().get(0).ratio(), 1e-9);
    }

    @Test
    void summedCountersAreReportedPerTreeAndPerShot() {
        Map<String, String> params = Map.of("n", "10", "shell", "exits");
        ComparisonTable table = new ComparisonTable(List.of(
                time("TreeKillBenchmark", "procgroup", params, 300, Map.of("survivors", 0.0, "trees", 40.0)),
                time("TreeKillBenchmark", "processBuilder", params, 900, Map.of("survivors", 400.0, "trees", 40.0)),
                time("ConcurrencyBenchmark", "procgroup", Map.of(), 1, Map.of("extraThreads", 6.0, "shots", 3.0)),
                time("ConcurrencyBenchmark", "processBuilder", Map.of(), 9, Map.of("extraThreads", 3003.0, "shots", 3.0))));

        assertEquals(new ComparisonTable.Row("tree kill n=10, shell exits: survivors", 0, 10, "per tree", Double.NaN),
                table.rows().get(1));
        assertEquals(new ComparisonTable.Row("start 1000 sleeps: extraThreads", 2, 1001, "threads", Double.NaN),
                table.rows().get(3));
        assertEquals(List.of(
                "MET     tree kill n=10, shell exits: procgroup leaves 0 sleeps running per tree (target 0)",
                "MET     start 1000 sleeps: procgroup adds 2 JVM threads for 1000 live children (target <= 4; ProcessBuilder 1,001)"),
                table.targets());
    }

    @Test
    void renderedTableIsMarkdownWithOneLinePerRow() {
        ComparisonTable table = new ComparisonTable(List.of(
                time("KillBenchmark", "procgroup", Map.of(), 90, Map.of()),
                time("KillBenchmark", "processBuilder", Map.of(), 200, Map.of())));

        List<String> lines = table.render().lines().toList();
        assertEquals(3, lines.size());
        assertEquals("| benchmark       | procgroup | ProcessBuilder |  unit | ratio (x better) |", lines.get(0));
        assertEquals("| --------------- | --------: | -------------: | ----: | ---------------: |", lines.get(1));
        assertEquals("| kill+reap sleep |        90 |            200 | us/op |            2.22x |", lines.get(2));
    }
}
