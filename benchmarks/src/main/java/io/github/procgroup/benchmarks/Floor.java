package io.github.procgroup.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The C floor: {@code floor.c} (shipped in the benchmarks jar) compiled with the system's
 * {@code cc} at benchmark time, then run once per measure in the same run as the JMH benchmarks,
 * so that every Java figure can be given as a ratio to the bare system calls. Where there is no
 * {@code cc}, {@link #compile} says so and the table shows the floor as not run.
 */
final class Floor {
    /** The method name the floor's figures carry in the table, next to procgroup, processBuilder... */
    static final String METHOD = "cFloor";
    /**
     * The method name of the floor's other rows: procgroup's own kill round in bare system calls
     * ({@code floor killround}), a reference, not the floor the ratios are taken to.
     */
    static final String KILL_ROUND = "cKillRound";
    /** {@link #run}'s first argument for a measure taken under the floor's reaper (see {@link #reapingJava}). */
    static final String UNDER_REAPER = "reaper";
    private final Path binary;

    private Floor(Path binary) {
        this.binary = binary;
    }

    /**
     * Compiles the floor into {@code directory}.
     *
     * @return the floor, or empty (with the reason printed) where there is no working cc
     */
    static Optional<Floor> compile(Path directory) throws IOException, InterruptedException {
        Path source = directory.resolve("floor.c");
        Path binary = directory.resolve("floor");
        Files.createDirectories(directory);
        try (InputStream in = Floor.class.getResourceAsStream("/c/floor.c")) {
            if (in == null) {
                throw new IllegalStateException("floor.c is not in the benchmarks jar");
            }
            Files.write(source, in.readAllBytes());
        }
        List<String> command = List.of("cc", "-O2", "-pthread", "-o", binary.toString(), source.toString());
        Process cc;
        try {
            cc = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException noCc) {
            System.out.println("C floor: skipped, no cc on the PATH (" + noCc.getMessage() + ")");
            return Optional.empty();
        }
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (cc.waitFor() != 0) {
            System.out.println("C floor: skipped, cc failed: " + output.strip());
            return Optional.empty();
        }
        return Optional.of(new Floor(binary));
    }

    /**
     * Writes {@code reaping-java}, a script that runs this JVM's {@code java} under the floor's reaper
     * (a parent that reaps every orphan below it at once, as systemd, tini or docker's
     * {@code --init} do), for JMH to fork benchmark JVMs with; they see
     * {@value #REAPER_ENV}={@value #PROMPT} in their environment.
     *
     * @param directory where the script goes
     * @return the script
     */
    Path reapingJava(Path directory) throws IOException {
        Path script = directory.resolve("reaping-java");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(script, "#!/bin/sh\n"
                + "# This JVM's java, its orphans reaped at once by floor's reaper (see floor.c).\n"
                + REAPER_ENV + "=" + PROMPT + " exec " + quoted(binary.toString()) + " reaper " + quoted(java) + " \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    /** The environment variable {@link #reapingJava}'s JVMs see. */
    static final String REAPER_ENV = "PROCGROUP_BENCH_REAPER";
    /** Its value: orphans are reaped at once. */
    static final String PROMPT = "prompt";

    private static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Runs one measure of the floor program.
     *
     * @param args the mode and its arguments, e.g. {@code spawn 2000}; see floor.c. A first argument
     *             {@value #UNDER_REAPER} runs the rest under the floor's reaper, with
     *             {@value #REAPER_ENV}={@value #PROMPT} in its environment, as {@link #reapingJava}'s JVMs
     * @return its figure
     * @throws IllegalStateException if the floor program fails
     */
    Measurement run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        boolean underReaper = args.length > 0 && args[0].equals(UNDER_REAPER);
        if (underReaper) {
            command.addAll(List.of(UNDER_REAPER, binary.toString()));
        }
        command.addAll(List.of(args).subList(underReaper ? 1 : 0, args.length));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (underReaper) {
            builder.environment().put(REAPER_ENV, PROMPT);
        }
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("C floor " + String.join(" ", args) + " failed: " + output.strip());
        }
        return parse(output.strip());
    }

    /**
     * Pairs two runs of the same measures, in the same order, and keeps the better figure of each
     * pair: the lower time, or the higher rate. A host's noise only ever slows a run, so the better
     * of two is the nearer to what the kernel costs.
     *
     * @return the better of each pair, in the order given
     * @throws IllegalArgumentException if the runs are not of the same measures
     */
    static List<Measurement> better(List<Measurement> first, List<Measurement> second) {
        if (first.size() != second.size()) {
            throw new IllegalArgumentException(first.size() + " measures against " + second.size());
        }
        List<Measurement> best = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            Measurement a = first.get(i);
            Measurement b = second.get(i);
            if (!a.benchmarkClass().equals(b.benchmarkClass()) || !a.method().equals(b.method())
                    || !a.params().equals(b.params()) || !a.unit().equals(b.unit())) {
                throw new IllegalArgumentException("not the same measure: " + a + " and " + b);
            }
            best.add(a.higherIsBetter() == (a.score() >= b.score()) ? a : b);
        }
        return best;
    }

    /**
     * Reads one line of the floor's output: {@code CLASS PARAMS SCORE UNIT [METHOD]}, PARAMS being
     * {@code -} or {@code name=value[,name=value]}, e.g. {@code TreeKillBenchmark n=10 1050.00 us/op}.
     *
     * @param line the line
     * @return the figure, as a measurement of METHOD, {@value #METHOD} if the line names none
     * @throws IllegalArgumentException if the line is not in that format
     */
    static Measurement parse(String line) {
        String[] f = line.strip().split(" ");
        if (f.length != 4 && f.length != 5) {
            throw new IllegalArgumentException("not a floor line (CLASS PARAMS SCORE UNIT [METHOD]): " + line);
        }
        Map<String, String> params = new TreeMap<>();
        if (!f[1].equals("-")) {
            for (String pair : f[1].split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("not a name=value parameter: " + pair + " in " + line);
                }
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        double score;
        try {
            score = Double.parseDouble(f[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a score: " + f[2] + " in " + line, e);
        }
        String method = f.length == 5 ? f[4] : METHOD;
        return new Measurement(f[0], method, params, f[3].startsWith("ops/"), score, f[3], Map.of());
    }
}
