package io.github.procgroup.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.ToDoubleFunction;

/**
 * The speed goals the project set itself, checked against one comparison table: one line each,
 * "MET", "MISSED" or "NOT RUN" (where a side of the comparison is missing from the run).
 */
final class Goals {
    private final ComparisonTable table;
    private final List<String> verdicts = new ArrayList<>();

    private Goals(ComparisonTable table) {
        this.table = table;
    }

    /** @return one verdict per goal that applies to the measures in the table */
    static List<String> check(ComparisonTable table) {
        Goals goals = new Goals(table);
        goals.checkAll();
        return goals.verdicts;
    }

    private void checkAll() {
        for (Map<String, String> p : table.paramsOf("SpawnBenchmark")) {
            ratio("spawn+wait: procgroup", "SpawnBenchmark", p, ComparisonTable.PROCGROUP, "x the C floor", "<= 1.15",
                    ComparisonTable.Row::vsFloor, r -> r <= 1.15);
            aheadOfPeers(p);
        }
        for (Map<String, String> p : table.paramsOf("StartBenchmark")) {
            // The library's own work around its system calls: the FFM floor makes the same calls bare.
            double ffm = table.find("StartBenchmark", p, "ffmFloor").map(ComparisonTable.Row::figure).orElse(Double.NaN);
            ratio("start() returns: procgroup", "StartBenchmark", p, ComparisonTable.PROCGROUP,
                    "x the FFM floor (the same system calls, bare FFM)", "<= 1.3", r -> r.figure() / ffm, r -> r <= 1.3);
        }
        for (Map<String, String> p : table.paramsOf("KillBenchmark")) {
            ratio("kill+reap: procgroup close()", "KillBenchmark", p, "procgroupClose", "x the C floor", "<= 1.5",
                    ComparisonTable.Row::vsFloor, r -> r <= 1.5);
            ratio("kill+reap: procgroup close(), a process started since", "KillBenchmark", p,
                    "procgroupCloseAfterAnother", "x the C floor", "<= 1.5", ComparisonTable.Row::vsFloor, r -> r <= 1.5);
        }
        for (Map<String, String> p : table.paramsOf("TreeKillBenchmark")) {
            String what = Labels.measure(new Measurement("TreeKillBenchmark", "", p, false, 0, "", Map.of()));
            for (String method : List.of("procgroupClose", "procgroupTerminate", "procgroupCloseCgroup",
                    "procgroupTerminateCgroup")) {
                ratio(what + ": " + Labels.library("TreeKillBenchmark", method), "TreeKillBenchmark", p, method,
                        "x the C floor", "<= 2", ComparisonTable.Row::vsFloor, r -> r <= 2);
            }
            for (String method : List.of(ComparisonTable.PROCGROUP, "procgroupClose", "procgroupTerminate",
                    "procgroupCloseCgroup", "procgroupTerminateCgroup")) {
                table.findCounter("TreeKillBenchmark", p, method, "survivors").ifPresent(r -> verdicts.add(verdict(r.figure() == 0,
                        what + ": " + r.library() + " leaves " + ComparisonTable.format(r.figure()) + " sleeps running per tree (target 0)")));
            }
        }
        for (Map<String, String> p : table.paramsOf("TreeListBenchmark")) {
            ratio("tree() listing: procgroup", "TreeListBenchmark", p, ComparisonTable.PROCGROUP, "us", "<= 300",
                    ComparisonTable.Row::figure, us -> us <= 300);
        }
        for (Map<String, String> p : table.paramsOf("ColdStartBenchmark")) {
            ratio("first spawn in a fresh JVM: procgroup", "ColdStartBenchmark", p, ComparisonTable.PROCGROUP, "ms", "<= 60",
                    ComparisonTable.Row::figure, ms -> ms <= 60);
            ratio("first spawn in a fresh JVM given an AOT cache: procgroup", "ColdStartBenchmark", p,
                    "procgroupAotCache", "ms", "<= 60", ComparisonTable.Row::figure, ms -> ms <= 60);
        }
        for (Map<String, String> p : table.paramsOf("CommandBenchmark")) {
            double hello = table.find("CommandBenchmark", p, "helloWorld").map(ComparisonTable.Row::figure).orElse(Double.NaN);
            for (String method : List.of(ComparisonTable.PROCGROUP, "procgroupLauncher", "procgroupLauncherNoCache")) {
                table.find("CommandBenchmark", p, method).filter(r -> !Double.isNaN(r.figure())).ifPresent(r ->
                        verdicts.add(verdict(r.figure() <= 150, "command wall time, " + r.library() + ": "
                                + ComparisonTable.format(r.figure()) + " ms (target <= 150); "
                                + ratioText(r.vsFloor(), "timeout 10 /bin/true") + ", "
                                + ratioText(r.figure() / hello, "a JVM hello world") + ", same run")));
            }
        }
        for (Map<String, String> p : table.paramsOf("ThroughputBenchmark")) {
            ratio("spawn+wait, " + ThroughputBenchmark.THREADS + " threads: procgroup", "ThroughputBenchmark", p,
                    ComparisonTable.PROCGROUP, "x the C floor's rate", ">= 0.9", ComparisonTable.Row::vsFloor, r -> r >= 0.9);
        }
        for (Map<String, String> p : table.paramsOf("PipeBenchmark")) {
            ratio("pipe throughput: procgroup", "PipeBenchmark", p, ComparisonTable.PROCGROUP, "x ProcessBuilder's rate",
                    ">= 1", ComparisonTable.Row::vsProcessBuilder, r -> r >= 1);
        }
        for (Map<String, String> p : table.paramsOf("ConcurrencyBenchmark")) {
            table.findCounter("ConcurrencyBenchmark", p, ComparisonTable.PROCGROUP, "extraThreads").ifPresent(r ->
                    verdicts.add(verdict(r.figure() <= 4, "start " + ConcurrencyBenchmark.CHILDREN + " sleeps: procgroup adds "
                            + ComparisonTable.format(r.figure()) + " JVM threads (target <= 4)")));
        }
    }

    private static String ratioText(double ratio, String baseline) {
        return Double.isNaN(ratio) ? baseline + " not run" : ComparisonTable.format(ratio) + "x " + baseline;
    }

    /** A goal on one figure of one row: met, missed, or not run if the row or its baseline is missing. */
    private void ratio(String what, String cls, Map<String, String> params, String method, String unit, String target,
                       ToDoubleFunction<ComparisonTable.Row> value, DoublePredicate met) {
        Optional<ComparisonTable.Row> row = table.find(cls, params, method);
        double v = row.map(value::applyAsDouble).orElse(Double.NaN);
        if (Double.isNaN(v)) {
            verdicts.add("NOT RUN " + what + " (target " + target + " " + unit + "): a side of the comparison did not run");
        } else {
            verdicts.add(verdict(met.test(v), what + ": " + ComparisonTable.format(v) + " " + unit + " (target " + target + ")"));
        }
    }

    /** procgroup's spawn+wait must be faster than every peer that ran. */
    private void aheadOfPeers(Map<String, String> params) {
        Optional<ComparisonTable.Row> pg = table.find("SpawnBenchmark", params, ComparisonTable.PROCGROUP);
        ComparisonTable.Row best = null;
        for (String peer : List.of(ComparisonTable.PROCESS_BUILDER, ComparisonTable.PROCESS_BUILDER_VFORK, "nuProcess")) {
            Optional<ComparisonTable.Row> r = table.find("SpawnBenchmark", params, peer).filter(x -> !Double.isNaN(x.figure()));
            if (r.isPresent() && (best == null || r.get().figure() < best.figure())) {
                best = r.get();
            }
        }
        if (pg.isEmpty() || Double.isNaN(pg.get().figure()) || best == null) {
            verdicts.add("NOT RUN spawn+wait: procgroup ahead of every peer: a side of the comparison did not run");
            return;
        }
        verdicts.add(verdict(pg.get().figure() < best.figure(), "spawn+wait: procgroup " + ComparisonTable.format(pg.get().figure())
                + " " + pg.get().unit() + " vs the best peer, " + best.library() + ", " + ComparisonTable.format(best.figure())
                + " (target: ahead of every peer)"));
    }

    private static String verdict(boolean met, String what) {
        return (met ? "MET     " : "MISSED  ") + what;
    }
}
