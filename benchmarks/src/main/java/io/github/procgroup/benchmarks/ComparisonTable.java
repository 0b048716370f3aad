package io.github.procgroup.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Puts every library's figure for one measure next to each other, with its ratio to the C floor
 * and to ProcessBuilder's default from the same run: ratio = this figure / the baseline's figure,
 * so for a time 1.50x means 50 % slower than the baseline, and for a rate (ops/s, MiB/s) 1.50x
 * means 50 % more. A library expected for a measure but absent from the run shows as "not run".
 * Auxiliary counters (survivors, extra threads, classes loaded) get rows of their own.
 */
final class ComparisonTable {
    static final String PROCGROUP = "procgroup";
    static final String PROCESS_BUILDER = "processBuilder";
    static final String PROCESS_BUILDER_VFORK = "processBuilderVfork";
    /** Counter name to the counter it is reported per. */
    private static final Map<String, String> DIVISORS = Map.of("survivors", "trees", "extraThreads", "shots",
            "classesLoaded", "shots");
    /** Measures that have a C floor (in floor.c, or CommandBenchmark's own cFloor method). */
    static final Set<String> FLOORED = Set.of("SpawnBenchmark", "StartBenchmark", "KillBenchmark", "TreeKillBenchmark",
            "TreeListBenchmark", "PipeBenchmark", "ThroughputBenchmark", "CommandBenchmark");
    /** The order of the measures in the table: per spawn, per kill, per tree, then the fresh JVMs. */
    private static final List<String> CLASS_ORDER = List.of("SpawnBenchmark", "StartBenchmark", "ThroughputBenchmark", "KillBenchmark",
            "TreeKillBenchmark", "TreeListBenchmark", "PipeBenchmark", "ConcurrencyBenchmark", "ColdStartBenchmark",
            "FirstCloseBenchmark", "CommandBenchmark");
    /** The order of the libraries within a measure. */
    private static final List<String> ORDER = List.of(Floor.METHOD, "ffmFloor", Floor.KILL_ROUND, PROCGROUP,
            "procgroupAotCache", "procgroupCgroup", "procgroupClose", "procgroupCloseAfterAnother", "procgroupTerminate",
            "procgroupCloseCgroup", "procgroupTerminateCgroup", "procgroupLauncher", "procgroupLauncherNoCache",
            PROCESS_BUILDER, PROCESS_BUILDER_VFORK, "nuProcess", "helloWorld");

    /**
     * One line of the table.
     *
     * @param measure          what was measured
     * @param library          who did it
     * @param figure           the figure, or NaN if it did not run
     * @param unit             the figure's unit
     * @param vsFloor          figure / the C floor's, NaN where there is none (or this is the floor)
     * @param vsProcessBuilder figure / ProcessBuilder's default's, NaN likewise
     */
    record Row(String measure, String library, double figure, String unit, double vsFloor, double vsProcessBuilder) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Row> byKey = new LinkedHashMap<>();
    private final Map<String, List<Map<String, String>>> paramsByClass = new LinkedHashMap<>();

    /**
     * @param measurements JMH results and C floor figures of one run; a floor figure joins every
     *                     measure of its class whose parameters include the floor's
     */
    ComparisonTable(List<Measurement> measurements) {
        Map<String, Map<String, Measurement>> groups = new LinkedHashMap<>();
        List<Measurement> floors = new ArrayList<>();
        for (Measurement m : measurements) {
            if ((m.method().equals(Floor.METHOD) && !m.benchmarkClass().equals("CommandBenchmark"))
                    || m.method().equals(Floor.KILL_ROUND)) {
                floors.add(m);
            } else {
                groups.computeIfAbsent(key(m.benchmarkClass(), m.params()), k -> new LinkedHashMap<>()).put(m.method(), m);
            }
        }
        for (Measurement floor : floors) {
            boolean joined = false;
            for (Map<String, Measurement> group : groups.values()) {
                Measurement any = group.values().iterator().next();
                if (any.benchmarkClass().equals(floor.benchmarkClass())
                        && any.params().entrySet().containsAll(floor.params().entrySet())) {
                    group.put(floor.method(), floor);
                    joined = true;
                }
            }
            if (!joined) {
                groups.put(key(floor.benchmarkClass(), floor.params()),
                        new LinkedHashMap<>(Map.of(floor.method(), floor)));
            }
        }
        List<Map<String, Measurement>> ordered = new ArrayList<>(groups.values());
        ordered.sort(Comparator.comparingInt(g -> classRank(g.values().iterator().next().benchmarkClass())));
        ordered.forEach(this::addGroup);
    }

    private static int classRank(String benchmarkClass) {
        int rank = CLASS_ORDER.indexOf(benchmarkClass);
        return rank < 0 ? CLASS_ORDER.size() : rank;
    }

    List<Row> rows() {
        return rows;
    }

    /** @return the row of one library for one measure, if the table has it */
    Optional<Row> find(String benchmarkClass, Map<String, String> params, String method) {
        return Optional.ofNullable(byKey.get(key(benchmarkClass, params) + "#" + method));
    }

    /** @return the parameters of each measure of one benchmark class, in table order */
    List<Map<String, String>> paramsOf(String benchmarkClass) {
        return paramsByClass.getOrDefault(benchmarkClass, List.of());
    }

    private static String key(String benchmarkClass, Map<String, String> params) {
        return benchmarkClass + " " + new TreeMap<>(params);
    }

    private void addGroup(Map<String, Measurement> group) {
        Measurement any = group.values().iterator().next();
        String cls = any.benchmarkClass();
        Set<String> methods = new LinkedHashSet<>(expectedMethods(cls));
        methods.addAll(group.keySet());
        List<String> ordered = new ArrayList<>(methods);
        ordered.sort(Comparator.comparingInt(m -> ORDER.contains(m) ? ORDER.indexOf(m) : ORDER.size()));
        double floor = figure(group.get(Floor.METHOD));
        double pb = figure(group.get(PROCESS_BUILDER));
        paramsByClass.computeIfAbsent(cls, k -> new ArrayList<>()).add(new TreeMap<>(any.params()));
        String label = Labels.measure(any);
        String unit = Labels.unit(any);
        for (String method : ordered) {
            double value = figure(group.get(method));
            Row row = new Row(label, Labels.library(cls, method), value, unit,
                    method.equals(Floor.METHOD) ? Double.NaN : value / floor,
                    method.equals(PROCESS_BUILDER) ? Double.NaN : value / pb);
            rows.add(row);
            byKey.put(key(cls, any.params()) + "#" + method, row);
        }
        for (String method : ordered) {
            addCounters(label, cls, any.params(), method, group.get(method));
        }
    }

    /** The libraries a measure should show: its class's benchmark methods, and the floor where it has one. */
    private static List<String> expectedMethods(String benchmarkClass) {
        List<String> methods = new ArrayList<>();
        if (FLOORED.contains(benchmarkClass)) {
            methods.add(Floor.METHOD);
        }
        try {
            for (Method m : Class.forName(ComparisonTable.class.getPackageName() + "." + benchmarkClass).getMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) {
                    methods.add(m.getName());
                }
            }
        } catch (ClassNotFoundException notOurs) {
            // A result from another benchmark class: show what ran, nothing more.
        }
        return methods;
    }

    private void addCounters(String label, String cls, Map<String, String> params, String method, Measurement m) {
        if (m == null) {
            return;
        }
        for (String name : m.counters().keySet()) {
            if (DIVISORS.containsValue(name)) {
                continue;
            }
            String divisor = DIVISORS.get(name);
            double value = m.counters().get(name) / (divisor == null ? 1 : m.counters().getOrDefault(divisor, Double.NaN));
            String unit = switch (name) {
                case "survivors" -> "per tree";
                case "extraThreads" -> "threads";
                case "classesLoaded" -> "classes";
                default -> "";
            };
            Row row = new Row(label + ": " + name, Labels.library(cls, method), value, unit, Double.NaN, Double.NaN);
            rows.add(row);
            byKey.put(key(cls, params) + "#" + method + ":" + name, row);
        }
    }

    /** @return the row of a counter, if the table has it */
    Optional<Row> findCounter(String benchmarkClass, Map<String, String> params, String method, String counter) {
        return Optional.ofNullable(byKey.get(key(benchmarkClass, params) + "#" + method + ":" + counter));
    }

    /** The figure as the table shows it: pipe operations become MiB/s. */
    private static double figure(Measurement m) {
        if (m == null) {
            return Double.NaN;
        }
        return m.benchmarkClass().equals("PipeBenchmark") ? m.score() * PipeBenchmark.MEBIBYTES : m.score();
    }

    /** @return the table as Markdown, so it pastes into docs/benchmarks.md as it prints */
    String render() {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"measure", "library", "figure", "unit", "x C floor", "x ProcessBuilder"});
        for (Row r : rows) {
            cells.add(new String[] {r.measure(), r.library(), Double.isNaN(r.figure()) ? "not run" : format(r.figure()),
                    r.unit(), times(r.vsFloor()), times(r.vsProcessBuilder())});
        }
        int[] width = new int[cells.get(0).length];
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
                    // Markdown: the two text columns left-aligned, the figures right-aligned.
                    rule.append(i < 2 ? " " + "-".repeat(width[i]) + " |" : " " + "-".repeat(width[i] - 1) + ": |");
                }
                out.append(rule).append('\n');
            }
        }
        return out.toString();
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder s = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            s.append(' ').append(i < 2 ? cells[i] + pad : pad + cells[i]).append(" |");
        }
        return s.append('\n').toString();
    }

    /** @return a ratio as "2.31x", or "" where there is none */
    static String times(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "";
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
