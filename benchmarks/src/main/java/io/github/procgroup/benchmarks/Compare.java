package io.github.procgroup.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs every procgroup benchmark and its ProcessBuilder twin in one JMH run, writes the JMH
 * JSON, and prints the comparison table. Run through {@code benchmarks/run.sh}.
 *
 * <pre>
 * Compare [--long] [--result FILE] [--only REGEX]
 *   --long     the profile for publishing: 2 forks, 2 x 2 s warm-up, 5 x 2 s measurement
 *              (default: the short profile, 1 fork, 1 x 1 s warm-up, 4 x 1 s measurement)
 *   --result   where the JMH JSON goes (default benchmarks/target/results.json)
 *   --only     run only the benchmarks matching a regular expression, e.g. Spawn
 * </pre>
 */
public final class Compare {
    private Compare() {
    }

    /**
     * @param args see the class comment
     * @throws RunnerException if JMH cannot run at all
     */
    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        boolean longProfile = false;
        Path result = Path.of("benchmarks", "target", "results.json");
        String only = "Benchmark";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--long" -> longProfile = true;
                case "--result" -> result = Path.of(value(args, ++i, "--result"));
                case "--only" -> only = value(args, ++i, "--only");
                default -> usage("unknown argument " + args[i]);
            }
        }
        Path parent = result.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(Pattern.quote(Compare.class.getPackageName()) + "\\..*" + only)
                .shouldFailOnError(false) // a JDK that rejects VFORK fails that one benchmark, not the run
                .result(result.toString())
                .resultFormat(ResultFormatType.JSON);
        if (longProfile) {
            options.forks(2).warmupIterations(2).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
        } else {
            // One warm-up second is a thousand spawns: enough for C2. Four measured seconds per
            // benchmark keep the whole run near 2.5 minutes on 2 busy cores.
            options.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(4).measurementTime(TimeValue.seconds(1));
        }
        VforkProbe.Verdict vfork = VforkProbe.run();
        System.out.println("ProcessBuilder VFORK mode: " + vfork.describe());
        if (!vfork.accepted()) {
            options.exclude(".*\\." + ComparisonTable.PROCESS_BUILDER_VFORK + "$");
        }
        Instant started = Instant.now();
        Collection<RunResult> runs = new Runner(options.build()).run();
        List<Measurement> measurements = new ArrayList<>();
        for (RunResult run : runs) {
            measurements.add(Measurement.of(run));
        }
        ComparisonTable table = new ComparisonTable(measurements);
        System.out.println();
        System.out.printf("procgroup vs ProcessBuilder, %s profile, %s, JDK %s (%s), %d cores, %s %s, took %d s%n",
                longProfile ? "long" : "short", started.truncatedTo(ChronoUnit.SECONDS),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.version"), Instant.now().getEpochSecond() - started.getEpochSecond());
        System.out.println("ratio = times better for procgroup (ProcessBuilder's time / procgroup's; throughput the other way)");
        System.out.println();
        System.out.print(table.render());
        System.out.println("ProcessBuilder VFORK mode: " + vfork.describe());
        System.out.println();
        table.targets().forEach(System.out::println);
        System.out.println();
        System.out.println("JMH results (JSON): " + result.toAbsolutePath());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: Compare [--long] [--result FILE] [--only REGEX]");
        System.exit(2);
    }
}
