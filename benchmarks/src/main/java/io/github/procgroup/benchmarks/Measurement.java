package io.github.procgroup.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark's result, reduced to what the comparison table needs.
 *
 * @param benchmarkClass the benchmark's simple class name, e.g. {@code SpawnBenchmark}
 * @param method         the benchmark method: the library measured, e.g. {@code procgroup}
 * @param params         the JMH parameters, sorted by name
 * @param higherIsBetter true for throughput, false for times
 * @param score          the primary score
 * @param unit           the primary score's unit, e.g. {@code us/op}
 * @param counters       the auxiliary counters by name
 */
record Measurement(String benchmarkClass, String method, Map<String, String> params, boolean higherIsBetter,
                   double score, String unit, Map<String, Double> counters) {

    static Measurement of(RunResult run) {
        BenchmarkParams p = run.getParams();
        String full = p.getBenchmark();
        String qualifiedClass = full.substring(0, full.lastIndexOf('.'));
        Map<String, String> params = new TreeMap<>();
        for (String key : p.getParamsKeys()) {
            params.put(key, p.getParam(key));
        }
        Map<String, Double> counters = new LinkedHashMap<>();
        for (Map.Entry<String, Result> e : run.getSecondaryResults().entrySet()) {
            counters.put(e.getKey(), e.getValue().getScore());
        }
        Result primary = run.getPrimaryResult();
        return new Measurement(qualifiedClass.substring(qualifiedClass.lastIndexOf('.') + 1),
                full.substring(full.lastIndexOf('.') + 1), params,
                p.getMode() == org.openjdk.jmh.annotations.Mode.Throughput,
                primary.getScore(), primary.getScoreUnit(), counters);
    }
}
