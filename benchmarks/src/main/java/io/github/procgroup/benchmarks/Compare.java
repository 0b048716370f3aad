package io.github.procgroup.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs the C floor, every benchmark with its peers (ProcessBuilder, NuProcess) in JMH, and the
 * fresh-JVM measures, all in one run, then prints the comparison table and the goals. Run from
 * the repository root through {@code benchmarks/run.sh}.
 *
 * <pre>
 * Compare [--quick | --long] [--result DIR] [--only REGEX]
 *   --quick    a smoke run: everything once, in-process where it can be, tiny counts (figures mean little;
 *              the tree kills under a reaping parent are left out)
 *   --long     the profile for publishing (2 forks, 2 x 2 s warm-up, 5 x 2 s measured, 10 fresh JVMs,
 *              3 shots of 1,000 children)
 *              (default: 1 fork, 1 x 1 s warm-up, 3 x 1 s measured, 3 fresh JVMs per library, one
 *              shot of 1,000 children after one warm-up shot; the 8-thread spawns and the kills
 *              of one sleep warm up for 3 x 5 s, 4 x 5 s with --long)
 *   --result   where the JMH JSON files go (default benchmarks/target)
 *   --only     run only the benchmark classes matching a regular expression, e.g. Spawn
 * </pre>
 */
public final class Compare {
    /** The tree kills of a CGROUP tree, left out where no cgroup can be made. */
    private static final String CGROUP_TREE_KILLS = "TreeKillBenchmark\\.procgroup(Close|Terminate)Cgroup$";

    /**
     * The classes whose code C2 has not compiled after the other rows' warm-up, so that they would
     * measure the JIT at work; they warm up for 15 s (20 s with --long), every library alike.
     * ThroughputBenchmark: 8 spawning threads and their children keep both cores busy, so the C2
     * thread gets a small share of a core and compiles the spawn path for about 12 s
     * (-XX:+PrintCompilation; the JVM's user CPU per spawn drops to a quarter after). KillBenchmark:
     * an invocation takes 1 ms or more with its untimed spawn and the wait until the sleep sleeps,
     * so 1 s is at most about 700 calls of close(), and C2 compiles a method after about 5,000
     * (Tier4InvocationThreshold).
     */
    private static final List<String> LONG_WARM_UP = List.of("ThroughputBenchmark", "KillBenchmark");

    private Compare() {
    }

    /**
     * @param args see the class comment
     * @throws RunnerException if JMH cannot run at all
     */
    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        Profile profile = Profile.SHORT;
        Path resultDir = Path.of("benchmarks", "target");
        String only = ".*";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> profile = Profile.QUICK;
                case "--long" -> profile = Profile.LONG;
                case "--result" -> resultDir = Path.of(value(args, ++i, "--result"));
                case "--only" -> only = value(args, ++i, "--only");
                default -> usage("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(resultDir);
        Pattern selected = Pattern.compile(only);
        long started = System.nanoTime();
        List<Measurement> measurements = new ArrayList<>();

        Optional<Floor> floor = Floor.compile(resultDir.resolve("floor"));
        List<Measurement> floorBefore = runFloor(floor, profile, selected);

        VforkProbe.Verdict vfork = VforkProbe.run();
        ChainedOptionsBuilder steady = base(".*(" + only + ").*", resultDir.resolve("results.json"))
                .exclude("ColdStartBenchmark").exclude("FirstCloseBenchmark").exclude("CommandBenchmark")
                .exclude("ConcurrencyBenchmark");
        profile.steady(steady);
        if (profile != Profile.QUICK) {
            LONG_WARM_UP.forEach(c -> steady.exclude("\\." + c + "\\.")); // with a warm-up of their own, below
        }
        if (!vfork.accepted() || profile == Profile.QUICK) {
            steady.exclude(".*\\." + ComparisonTable.PROCESS_BUILDER_VFORK + "$");
        }
        Optional<String> noCgroup = CgroupSpawnBenchmark.whyNoCgroup();
        if (noCgroup.isPresent()) {
            // Their forks would only fail: the rows stay empty, and the goal lines say NOT RUN.
            System.out.println("CGROUP rows: not measured, " + noCgroup.get());
            steady.exclude(CGROUP_TREE_KILLS).param("containment", "GROUP");
        }
        measurements.addAll(run(steady));

        // The tree kills again, the JVM under a parent that reaps orphans at once: what a host whose
        // init does (systemd, tini) gives, next to this host's own init, which may reap late.
        if (floor.isPresent() && profile != Profile.QUICK && selected.matcher("TreeKillBenchmark").find()) {
            ChainedOptionsBuilder reaping = base("TreeKillBenchmark\\..*", resultDir.resolve("results-reaping.json"))
                    .jvm(floor.get().reapingJava(resultDir.resolve("floor")).toString()).param("reaper", Floor.PROMPT);
            if (noCgroup.isPresent()) {
                reaping.exclude(CGROUP_TREE_KILLS);
            }
            profile.steady(reaping);
            measurements.addAll(run(reaping));
        }

        for (String longWarmUp : LONG_WARM_UP) {
            if (profile != Profile.QUICK && selected.matcher(longWarmUp).find()) {
                ChainedOptionsBuilder warmed = base(longWarmUp + "\\..*", resultDir.resolve("results-" + longWarmUp + ".json"));
                profile.steady(warmed);
                measurements.addAll(run(warmed.warmupIterations(profile == Profile.LONG ? 4 : 3)
                        .warmupTime(TimeValue.seconds(5))));
            }
        }

        // The floor again, after the in-JVM rows, and the better of its two runs: on a shared host a
        // busy minute can slow one run by half, which would read as procgroup beating the kernel.
        // The better run makes every ratio to the floor the less flattering one for procgroup.
        measurements.addAll(Floor.better(floorBefore, runFloor(floor, profile, selected)));

        // A shot of 1,000 children takes seconds (NuProcess: over a minute on 2 busy cores): few shots.
        if (profile != Profile.QUICK && selected.matcher("ConcurrencyBenchmark").find()) {
            measurements.addAll(run(base("ConcurrencyBenchmark\\..*", resultDir.resolve("results-concurrency.json"))
                    .forks(1).warmupIterations(1).measurementIterations(profile == Profile.LONG ? 3 : 1)));
        }

        List<String> freshClasses = List.of("ColdStartBenchmark", "FirstCloseBenchmark", "CommandBenchmark").stream()
                .filter(c -> selected.matcher(c).find()).toList();
        ChainedOptionsBuilder fresh = base("(" + String.join("|", freshClasses) + ")\\..*", resultDir.resolve("results-fresh-jvm.json"));
        profile.fresh(fresh);
        if (selected.matcher("ColdStartBenchmark").find()) {
            Optional<String> noCache = ColdStartBenchmark.trainAotCache();
            if (noCache.isPresent()) {
                System.out.println("first spawn with an AOT cache: not measured, " + noCache.get());
                fresh.exclude("ColdStartBenchmark\\.procgroupAotCache$");
            }
        }
        if (noCgroup.isPresent()) {
            fresh.exclude("ColdStartBenchmark\\.procgroupCgroup$");
        }
        if (CommandBenchmark.jar().isEmpty()) {
            System.out.println("command: no procgroup jar at " + CommandBenchmark.JARS + ", so not measured");
            fresh.exclude("CommandBenchmark\\.procgroup$");
        }
        if (CommandBenchmark.launcher().isEmpty()) {
            System.out.println("command: no launcher at " + CommandBenchmark.LAUNCHER + ", so not measured");
            fresh.exclude("CommandBenchmark\\.procgroupLauncher.*");
        }
        if (!freshClasses.isEmpty()) {
            measurements.addAll(run(fresh));
        }

        ComparisonTable table = new ComparisonTable(measurements);
        System.out.println();
        System.out.printf("%s profile, JDK %s (%s), %d cores, %s %s %s, took %d s%n", profile.name().toLowerCase(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("os.version"), (System.nanoTime() - started) / 1_000_000_000L);
        System.out.println("x C floor, x ProcessBuilder: this figure / the baseline's, same run "
                + "(times: above 1 is slower; rates: above 1 is faster)");
        System.out.println();
        System.out.print(table.render());
        System.out.println();
        System.out.println("ProcessBuilder VFORK mode: " + (profile == Profile.QUICK ? "not run in the quick profile" : vfork.describe()));
        if (floor.isEmpty()) {
            System.out.println("C floor: not run (no working cc), so no ratios to it");
        }
        System.out.println();
        Goals.check(table).forEach(System.out::println);
        System.out.println();
        System.out.println("JMH results (JSON): " + resultDir.toAbsolutePath().resolve("results*.json"));
    }

    /** @return the floor's measures of the classes {@code selected} matches, none if there is no floor */
    private static List<Measurement> runFloor(Optional<Floor> floor, Profile profile, Pattern selected)
            throws IOException, InterruptedException {
        List<Measurement> found = new ArrayList<>();
        if (floor.isPresent()) {
            for (String[] measure : profile.floorMeasures()) {
                if (selected.matcher(measure[0]).find()) {
                    found.add(floor.get().run(Arrays.copyOfRange(measure, 1, measure.length)));
                }
            }
        }
        return found;
    }

    /** JMH options for the benchmarks of this package whose class.method matches {@code include}. */
    private static ChainedOptionsBuilder base(String include, Path result) {
        return new OptionsBuilder()
                .include(Pattern.quote(Compare.class.getPackageName()) + "\\." + include)
                .shouldFailOnError(false) // a JDK that rejects VFORK fails that one benchmark, not the run
                .result(result.toString())
                .resultFormat(ResultFormatType.JSON);
    }

    private static List<Measurement> run(ChainedOptionsBuilder options) throws RunnerException {
        List<Measurement> found = new ArrayList<>();
        try {
            for (RunResult run : new Runner(options.build()).run()) {
                found.add(Measurement.of(run));
            }
        } catch (NoBenchmarksException selectedNone) {
            // --only matched, but the excludes left nothing of this group (--only Command, say).
        } catch (RunnerException e) {
            if (!String.valueOf(e.getMessage()).contains("No matching benchmarks")) {
                throw e;
            }
        }
        return found;
    }

    /** How long to measure. */
    enum Profile {
        QUICK, SHORT, LONG;

        /** The JMH settings of the in-JVM benchmarks. */
        void steady(ChainedOptionsBuilder o) {
            switch (this) {
                // In-process: no JVM start per benchmark. ConcurrencyBenchmark (1,000 children per
                // library) is left out: it would take most of the smoke run on its own.
                case QUICK -> o.forks(0).warmupIterations(0).measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(200)).param("n", "10").param("shell", "waits");
                // One warm-up second is hundreds of spawns: enough for C2 on this path.
                case SHORT -> o.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(3).measurementTime(TimeValue.seconds(1));
                case LONG -> o.forks(2).warmupIterations(2).warmupTime(TimeValue.seconds(2))
                        .measurementIterations(5).measurementTime(TimeValue.seconds(2));
            }
        }

        /** The settings of the fresh-JVM measures: forks of the cold start, shots of the command. */
        void fresh(ChainedOptionsBuilder o) {
            switch (this) {
                case QUICK -> o.forks(1).warmupIterations(0).measurementIterations(1);
                case SHORT -> o.forks(3);
                case LONG -> o.forks(10);
            }
        }

        /** The floor's measures: the class they belong to, then floor's arguments. */
        List<String[]> floorMeasures() {
            int k = switch (this) {
                case QUICK -> 1;
                case SHORT -> 10;
                case LONG -> 20;
            };
            List<String[]> measures = new ArrayList<>(List.of(
                    new String[] {"Spawn", "spawn", Integer.toString(100 * k)},
                    new String[] {"Start", "start", Integer.toString(100 * k)},
                    new String[] {"Kill", "kill", Integer.toString(30 * k)},
                    new String[] {"TreeKill", "treekill", "10", Integer.toString(5 * k)},
                    new String[] {"TreeList", "tree", "9", Integer.toString(20 * k)},
                    new String[] {"Pipe", "pipe", Integer.toString(PipeBenchmark.MEBIBYTES), Integer.toString(Math.max(2, k))},
                    new String[] {"Throughput", "threads", Integer.toString(ThroughputBenchmark.THREADS),
                            Integer.toString(this == QUICK ? 300 : 3000)}));
            if (this != QUICK) {
                measures.add(new String[] {"TreeKill", "treekill", "100", Integer.toString(k)});
            }
            // procgroup's close() in bare system calls, on each tree TreeKillBenchmark kills, on this
            // host and under the floor's reaper (as TreeKillBenchmark's reaping run): the reference
            // that tells the method's own cost from the Java around it.
            for (String n : this == QUICK ? List.of("10") : List.of("10", "100")) {
                String iterations = Integer.toString(n.equals("10") ? 5 * k : k);
                for (String shell : List.of("waits", "exits")) {
                    measures.add(new String[] {"TreeKill", "killround", n, shell, iterations});
                    if (this != QUICK) {
                        measures.add(new String[] {"TreeKill", Floor.UNDER_REAPER, "killround", n, shell, iterations});
                    }
                }
            }
            return measures;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: Compare [--quick | --long] [--result DIR] [--only REGEX]");
        System.exit(2);
    }
}
