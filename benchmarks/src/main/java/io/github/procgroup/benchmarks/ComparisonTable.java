package io.github.procgroup.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pairs each procgroup result with its ProcessBuilder twin from the same run and renders the
 * table: benchmark, procgroup, ProcessBuilder, ratio. The ratio is always "times better for
 * procgroup": ProcessBuilder's time over procgroup's, or procgroup's throughput over
 * ProcessBuilder's. Auxiliary counters (survivors, extra threads) get rows of their own.
 */
final class ComparisonTable {
    static final String PROCGROUP = "procgroup";
    static final String PROCESS_BUILDER = "processBuilder";
    static final String PROCESS_BUILDER_VFORK = "processBuilderVfork";
    /** Counter name to the counter it is reported per: survivors per tree, extra threads per shot. */
    private static final Map<String, String> DIVISORS = Map.of("survivors", "trees", "extraThreads", "shots");

    /**
     * One line of the table.
     *
     * @param benchmark      what was measured
     * @param procgroup      procgroup's figure, or NaN if it did not run
     * @param processBuilder ProcessBuilder's figure, or NaN if it did not run
     * @param unit           the figures' unit
     * @param ratio          times better for procgroup, or NaN where a ratio means nothing
     */
    record Row(String benchmark, double procgroup, double processBuilder, String unit, double ratio) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> targets = new ArrayList<>();

    ComparisonTable(List<Measurement> measurements) {
        Map<String, Map<String, Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            groups.computeIfAbsent(m.benchmarkClass() + " " + m.params(), k -> new LinkedHashMap<>()).put(m.method(), m);
        }
        for (Map<String, Measurement> group : groups.values()) {
            addGroup(group);
        }
    }

    List<Row> rows() {
        return rows;
    }

    /** @return one line per benchmark target: met, missed, or not measured */
    List<String> targets() {
        return targets;
    }

    private void addGroup(Map<String, Measurement> group) {
        Measurement pg = group.get(PROCGROUP);
        Measurement any = group.values().iterator().next();
        String label = label(any);
        for (String baseline : List.of(PROCESS_BUILDER, PROCESS_BUILDER_VFORK)) {
            Measurement pb = group.get(baseline);
            if (pb == null && !(baseline.equals(PROCESS_BUILDER_VFORK) && any.benchmarkClass().equals("SpawnBenchmark"))) {
                continue;
            }
            String rowLabel = baseline.equals(PROCESS_BUILDER_VFORK) ? label + " (PB VFORK)" : label;
            double a = pg == null ? Double.NaN : pg.score();
            double b = pb == null ? Double.NaN : pb.score();
            double ratio = any.higherIsBetter() ? a / b : b / a;
            rows.add(new Row(rowLabel, a, b, any.unit(), ratio));
            if (baseline.equals(PROCESS_BUILDER)) {
                checkRatioTarget(any, ratio);
            }
        }
        addCounters(label, pg, group.get(PROCESS_BUILDER));
    }

    private void addCounters(String label, Measurement pg, Measurement pb) {
        Set<String> names = new LinkedHashSet<>();
        for (Measurement m : new Measurement[] {pg, pb}) {
            if (m != null) {
                names.addAll(m.counters().keySet());
            }
        }
        names.removeAll(DIVISORS.values());
        for (String name : names) {
            double a = counter(pg, name);
            double b = counter(pb, name);
            String unit = name.equals("survivors") ? "per tree" : name.equals("extraThreads") ? "threads" : "";
            rows.add(new Row(label + ": " + name, a, b, unit, Double.NaN));
            if (name.equals("survivors")) {
                targets.add(verdict(a == 0, label + ": procgroup leaves " + format(a) + " sleeps running per tree (target 0)"));
            } else if (name.equals("extraThreads")) {
                targets.add(verdict(a <= 4, label + ": procgroup adds " + format(a) + " JVM threads for "
                        + ConcurrencyBenchmark.CHILDREN + " live children (target <= 4; ProcessBuilder " + format(b) + ")"));
            }
        }
    }

    /** JMH sums EVENTS counters over the run: each is divided by the count of what it is "per". */
    private static double counter(Measurement m, String name) {
        if (m == null || !m.counters().containsKey(name)) {
            return Double.NaN;
        }
        String divisor = DIVISORS.get(name);
        return m.counters().get(name) / (divisor == null ? 1 : m.counters().getOrDefault(divisor, Double.NaN));
    }

    private void checkRatioTarget(Measurement m, double ratio) {
        switch (m.benchmarkClass()) {
            case "SpawnBenchmark" -> targets.add(verdict(ratio >= 2,
                    "spawn+wait: procgroup " + times(ratio) + " faster than ProcessBuilder's default (target >= 2x)"));
            case "KillBenchmark" -> targets.add(verdict(ratio >= 2,
                    "kill+reap: procgroup takes " + format(1 / ratio) + " of ProcessBuilder's time (target <= 0.5)"));
            default -> { }
        }
    }

    private static String verdict(boolean met, String what) {
        return (met ? "MET     " : "MISSED  ") + what;
    }

    static String label(Measurement m) {
        return switch (m.benchmarkClass()) {
            case "SpawnBenchmark" -> "spawn+wait /bin/true";
            case "ThroughputBenchmark" -> "spawn+wait /bin/true, 2 threads";
            case "KillBenchmark" -> "kill+reap sleep";
            case "TreeKillBenchmark" -> "tree kill n=" + m.params().get("n") + ", shell " + m.params().get("shell");
            case "ConcurrencyBenchmark" -> "start " + ConcurrencyBenchmark.CHILDREN + " sleeps";
            default -> m.benchmarkClass() + (m.params().isEmpty() ? "" : " " + m.params());
        };
    }

    /** @return the table as Markdown, so it pastes into the README as it prints */
    String render() {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"benchmark", "procgroup", "ProcessBuilder", "unit", "ratio (x better)"});
        for (Row r : rows) {
            cells.add(new String[] {r.benchmark(), figure(r.procgroup()), figure(r.processBuilder()), r.unit(),
                    Double.isNaN(r.ratio()) ? "" : times(r.ratio())});
        }
        int[] width = new int[5];
        for (String[] line : cells) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < cells.size(); l++) {
            out.append(line(cells.get(l), width));
            if (l == 0) {
                StringBuilder rule = new StringBuilder("|");
                for (int i = 0; i < width.length; i++) {
                    // Markdown: the first column left-aligned, the figures right-aligned.
                    rule.append(i == 0 ? " " + "-".repeat(width[i]) + " |" : " " + "-".repeat(width[i] - 1) + ": |");
                }
                out.append(rule).append('\n');
            }
        }
        return out.toString();
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder s = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            String pad = " ".repeat(width[i] - cell.length());
            s.append(' ').append(i == 0 ? cell + pad : pad + cell).append(" |");
        }
        return s.append('\n').toString();
    }

    private static String figure(double value) {
        return Double.isNaN(value) ? "not run" : format(value);
    }

    /** @return a ratio as "2.31x" (or "n/a" when a side is missing) */
    static String times(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, ratio >= 10 ? "%.1fx" : "%.2fx", ratio);
    }

    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        String pattern = abs == Math.rint(abs) && abs < 1e6 ? "%,.0f" : abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
