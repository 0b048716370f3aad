package io.github.procgroup.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class GoalsTest {

    private static Measurement time(String cls, String method, double score) {
        return new Measurement(cls, method, Map.of(), false, score, "us/op", Map.of());
    }

    @Test
    void spawnGoalsCompareToTheFloorAndToTheBestPeer() {
        List<String> verdicts = Goals.check(new ComparisonTable(List.of(
                time("SpawnBenchmark", Floor.METHOD, 500),
                time("SpawnBenchmark", "procgroup", 560),
                time("SpawnBenchmark", "processBuilder", 900),
                time("SpawnBenchmark", "processBuilderVfork", 540),
                time("SpawnBenchmark", "ffmFloor", 400))));

        assertEquals(List.of(
                "MET     spawn+wait: procgroup: 1.12 x the C floor (target <= 1.15)",
                "MISSED  spawn+wait: procgroup 560 us/op vs the best peer, ProcessBuilder VFORK, 540 (target: ahead of every peer)"),
                verdicts);
    }

    @Test
    void startGoalComparesToTheFfmFloorOfTheSameRun() {
        List<String> verdicts = Goals.check(new ComparisonTable(List.of(
                Floor.parse("StartBenchmark - 100.00 us/op"),
                time("StartBenchmark", "procgroup", 140),
                time("StartBenchmark", "ffmFloor", 100),
                time("StartBenchmark", "processBuilder", 300))));

        assertEquals(List.of("MISSED  start() returns: procgroup: 1.40 x the FFM floor (the same system calls, bare FFM) (target <= 1.3)"),
                verdicts);
        List<String> met = Goals.check(new ComparisonTable(List.of(
                time("StartBenchmark", "procgroup", 125),
                time("StartBenchmark", "ffmFloor", 100))));
        assertEquals(List.of("MET     start() returns: procgroup: 1.25 x the FFM floor (the same system calls, bare FFM) (target <= 1.3)"),
                met);
    }

    @Test
    void aGoalWhoseBaselineDidNotRunSaysSoInsteadOfPassing() {
        List<String> verdicts = Goals.check(new ComparisonTable(List.of(
                time("KillBenchmark", "procgroupClose", 120),
                time("KillBenchmark", "processBuilder", 200))));

        assertEquals(List.of("NOT RUN kill+reap: procgroup close() (target <= 1.5 x the C floor): a side of the comparison did not run",
                "NOT RUN kill+reap: procgroup close(), a process started since (target <= 1.5 x the C floor): "
                        + "a side of the comparison did not run"),
                verdicts);
    }

    @Test
    void treeGoalsCoverCloseTerminateAndSurvivors() {
        Map<String, String> params = Map.of("n", "10", "shell", "waits");
        List<String> verdicts = Goals.check(new ComparisonTable(List.of(
                Floor.parse("TreeKillBenchmark n=10 1000.00 us/op"),
                new Measurement("TreeKillBenchmark", "procgroupClose", params, false, 1900, "us/op",
                        Map.of("survivors", 0.0, "trees", 5.0)),
                new Measurement("TreeKillBenchmark", "procgroupTerminate", params, false, 38000, "us/op",
                        Map.of("survivors", 5.0, "trees", 5.0)))));

        assertEquals(List.of(
                "MET     tree kill n=10, shell waits: procgroup close(): 1.90 x the C floor (target <= 2)",
                "MISSED  tree kill n=10, shell waits: procgroup terminate(): 38 x the C floor (target <= 2)",
                // Where no cgroup could be made, its row is empty: never counted as met.
                "NOT RUN tree kill n=10, shell waits: procgroup close(), CGROUP containment "
                        + "(target <= 2 x the C floor): a side of the comparison did not run",
                "NOT RUN tree kill n=10, shell waits: procgroup terminate(), CGROUP containment "
                        + "(target <= 2 x the C floor): a side of the comparison did not run",
                "MET     tree kill n=10, shell waits: procgroup close() leaves 0 sleeps running per tree (target 0)",
                "MISSED  tree kill n=10, shell waits: procgroup terminate() leaves 1 sleeps running per tree (target 0)"),
                verdicts);
    }
}
