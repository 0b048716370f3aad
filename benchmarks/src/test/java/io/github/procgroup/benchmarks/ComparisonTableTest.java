package io.github.procgroup.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ComparisonTableTest {

    private static Measurement time(String cls, String method, Map<String, String> params, double score,
                                    Map<String, Double> counters) {
        return new Measurement(cls, method, params, false, score, "us/op", counters);
    }

    private static Measurement time(String cls, String method, double score) {
        return time(cls, method, Map.of(), score, Map.of());
    }

    @Test
    void everyLibraryIsGivenAsARatioToTheFloorAndToProcessBuilder() {
        ComparisonTable table = new ComparisonTable(List.of(
                time("SpawnBenchmark", "procgroup", 600),
                time("SpawnBenchmark", "processBuilder", 1200),
                time("SpawnBenchmark", "processBuilderVfork", 800),
                time("SpawnBenchmark", "nuProcess", 48000),
                time("SpawnBenchmark", "ffmFloor", 500),
                time("SpawnBenchmark", Floor.METHOD, 400)));

        String m = "spawn+wait /bin/true";
        assertEquals(List.of(
                new ComparisonTable.Row(m, "C floor", 400, "us/op", Double.NaN, 400.0 / 1200),
                new ComparisonTable.Row(m, "FFM floor: procgroup's calls, bare", 500, "us/op", 1.25, 500.0 / 1200),
                new ComparisonTable.Row(m, "procgroup", 600, "us/op", 1.5, 0.5),
                new ComparisonTable.Row(m, "ProcessBuilder", 1200, "us/op", 3.0, Double.NaN),
                new ComparisonTable.Row(m, "ProcessBuilder VFORK", 800, "us/op", 2.0, 800.0 / 1200),
                new ComparisonTable.Row(m, "NuProcess 3.0.0", 48000, "us/op", 120.0, 40.0)), table.rows());
    }

    @Test
    void aLibraryMissingFromTheRunShowsAsNotRunAndHasNoRatios() {
        ComparisonTable table = new ComparisonTable(List.of(
                time("KillBenchmark", "procgroup", 150),
                time("KillBenchmark", "processBuilder", 300)));

        ComparisonTable.Row floor = table.rows().get(0);
        assertEquals("C floor", floor.library());
        assertTrue(Double.isNaN(floor.figure()));
        assertTrue(Double.isNaN(table.rows().get(1).vsFloor()), "no floor, no ratio to it");
        assertEquals(0.5, table.rows().get(1).vsProcessBuilder(), 1e-9);
        assertTrue(table.render().contains("| not run |"), table.render());
        assertTrue(table.rows().stream().anyMatch(r -> r.library().equals("procgroup close()") && Double.isNaN(r.figure())),
                "every benchmark method of the class has a row");
    }

    @Test
    void aFloorFigureJoinsEveryMeasureWhoseParametersIncludeIts() {
        ComparisonTable table = new ComparisonTable(List.of(
                time("TreeKillBenchmark", "procgroupClose", Map.of("n", "10", "shell", "waits"), 2000, Map.of()),
                time("TreeKillBenchmark", "procgroupClose", Map.of("n", "10", "shell", "exits"), 3000, Map.of()),
                time("TreeKillBenchmark", "procgroupClose", Map.of("n", "100", "shell", "waits"), 9000, Map.of()),
                Floor.parse("TreeKillBenchmark n=10 1000.00 us/op")));

        assertEquals(2.0, table.find("TreeKillBenchmark", Map.of("n", "10", "shell", "waits"), "procgroupClose").orElseThrow().vsFloor(), 1e-9);
        assertEquals(3.0, table.find("TreeKillBenchmark", Map.of("n", "10", "shell", "exits"), "procgroupClose").orElseThrow().vsFloor(), 1e-9);
        assertTrue(Double.isNaN(table.find("TreeKillBenchmark", Map.of("n", "100", "shell", "waits"), "procgroupClose").orElseThrow().vsFloor()));
    }

    @Test
    void theBareKillRoundIsARowOfItsOwnMeasureWithItsRatioToTheFloor() {
        Map<String, String> host = Map.of("n", "10", "shell", "waits", "reaper", "host");
        Map<String, String> prompt = Map.of("n", "10", "shell", "waits", "reaper", "prompt");
        ComparisonTable table = new ComparisonTable(List.of(
                time("TreeKillBenchmark", "procgroupClose", host, 2000, Map.of()),
                time("TreeKillBenchmark", "procgroupClose", prompt, 1500, Map.of()),
                Floor.parse("TreeKillBenchmark n=10 1000.00 us/op"),
                Floor.parse("TreeKillBenchmark n=10,reaper=host,shell=waits 1800.00 us/op cKillRound")));

        ComparisonTable.Row round = table.find("TreeKillBenchmark", host, Floor.KILL_ROUND).orElseThrow();
        assertEquals("C: procgroup's close(), bare", round.library());
        assertEquals(1.8, round.vsFloor(), 1e-9);
        assertEquals(2.0, table.find("TreeKillBenchmark", host, "procgroupClose").orElseThrow().vsFloor(), 1e-9,
                "the floor stays the floor");
        assertTrue(table.find("TreeKillBenchmark", prompt, Floor.KILL_ROUND).isEmpty(), "only the host it ran on");
    }

    @Test
    void pipeOperationsAreShownAsMebibytesPerSecondAndRatesCompareTheSameWay() {
        ComparisonTable table = new ComparisonTable(List.of(
                new Measurement("PipeBenchmark", "procgroup", Map.of(), true, 30, "ops/s", Map.of()),
                new Measurement("PipeBenchmark", "processBuilder", Map.of(), true, 20, "ops/s", Map.of()),
                Floor.parse("PipeBenchmark - 40.000 ops/s")));

        ComparisonTable.Row pg = table.find("PipeBenchmark", Map.of(), "procgroup").orElseThrow();
        assertEquals(30.0 * PipeBenchmark.MEBIBYTES, pg.figure(), 1e-9);
        assertEquals("MiB/s", pg.unit());
        assertEquals(0.75, pg.vsFloor(), 1e-9);
        assertEquals(1.5, pg.vsProcessBuilder(), 1e-9);
    }

    @Test
    void summedCountersAreReportedPerTreeAndPerShot() {
        Map<String, String> params = Map.of("n", "10", "shell", "exits");
        ComparisonTable table = new ComparisonTable(List.of(
                time("TreeKillBenchmark", "procgroup", params, 300, Map.of("survivors", 0.0, "trees", 40.0)),
                time("TreeKillBenchmark", "processBuilder", params, 900, Map.of("survivors", 400.0, "trees", 40.0)),
                time("ConcurrencyBenchmark", "procgroup", Map.of(), 1, Map.of("extraThreads", 6.0, "shots", 3.0)),
                time("ColdStartBenchmark", "procgroup", Map.of(), 400, Map.of("classesLoaded", 3000.0, "shots", 2.0))));

        assertEquals(new ComparisonTable.Row("tree kill n=10, shell exits: survivors", "ProcessBuilder", 10, "per tree",
                Double.NaN, Double.NaN), table.findCounter("TreeKillBenchmark", params, "processBuilder", "survivors").orElseThrow());
        assertEquals(0, table.findCounter("TreeKillBenchmark", params, "procgroup", "survivors").orElseThrow().figure());
        assertEquals(2, table.findCounter("ConcurrencyBenchmark", Map.of(), "procgroup", "extraThreads").orElseThrow().figure());
        assertEquals(1500, table.findCounter("ColdStartBenchmark", Map.of(), "procgroup", "classesLoaded").orElseThrow().figure());
        assertTrue(table.rows().stream().noneMatch(r -> r.measure().endsWith(": trees") || r.measure().endsWith(": shots")),
                "divisors get no rows of their own");
    }

    @Test
    void renderedTableIsMarkdownWithOneLinePerRow() {
        ComparisonTable table = new ComparisonTable(List.of(
                time("ColdStartBenchmark", "ffmFloor", 60),
                time("ColdStartBenchmark", "procgroup", 90),
                time("ColdStartBenchmark", "procgroupAotCache", 45),
                time("ColdStartBenchmark", "procgroupCgroup", 120),
                time("ColdStartBenchmark", "processBuilder", 30),
                time("ColdStartBenchmark", "nuProcess", 180)));

        List<String> lines = table.render().lines().toList();
        assertEquals(List.of(
                "| measure                         | library                               | figure |  unit | x C floor | x ProcessBuilder |",
                "| ------------------------------- | ------------------------------------- | -----: | ----: | --------: | ---------------: |",
                "| first spawn+wait in a fresh JVM | FFM floor: procgroup's calls, bare    |     60 | us/op |           |            2.00x |",
                "| first spawn+wait in a fresh JVM | procgroup                             |     90 | us/op |           |            3.00x |",
                "| first spawn+wait in a fresh JVM | procgroup, the JVM given an AOT cache |     45 | us/op |           |            1.50x |",
                "| first spawn+wait in a fresh JVM | procgroup, CGROUP containment         |    120 | us/op |           |            4.00x |",
                "| first spawn+wait in a fresh JVM | ProcessBuilder                        |     30 | us/op |           |                  |",
                "| first spawn+wait in a fresh JVM | NuProcess 3.0.0                       |    180 | us/op |           |            6.00x |"), lines);
    }
}
