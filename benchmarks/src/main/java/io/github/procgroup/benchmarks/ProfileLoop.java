package io.github.procgroup.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jdk.jfr.Recording;

/**
 * A plain loop for profilers (JFR, perf, strace), outside JMH: spawn + wait of {@code /bin/true}
 * with one library, {@code WARMUP} times, then {@code COUNT} times between two markers. The markers
 * are failed {@code access(2)} calls on the paths {@value #START_MARK} and {@value #END_MARK} (they
 * do not exist), so a system-call trace can be cut to the measured spawns. {@code first} makes one
 * spawn only: the cold start, for class-loading logs. With {@code -Dprofile.jfr=FILE} the loop
 * records JFR execution samples (every millisecond) of the measured spawns only, into FILE.
 * See benchmarks/profile.sh.
 *
 * <pre>
 * ProfileLoop procgroup|processBuilder|nuProcess|first WARMUP COUNT
 * </pre>
 */
public final class ProfileLoop {
    static final String START_MARK = "/procgroup-profile-start";
    static final String END_MARK = "/procgroup-profile-end";

    private ProfileLoop() {
    }

    /**
     * @param args the library, the warm-up count and the measured count
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: ProfileLoop procgroup|processBuilder|nuProcess|first WARMUP COUNT");
            System.exit(2);
        }
        if (args[0].equals("first")) {
            long start = System.nanoTime();
            Children.trueWithProcgroup();
            System.out.printf("first procgroup spawn+wait: %.1f ms%n", (System.nanoTime() - start) / 1e6);
            return;
        }
        int warmup = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        for (int i = 0; i < warmup; i++) {
            spawn(args[0]);
        }
        String jfr = System.getProperty("profile.jfr");
        Recording recording = jfr == null ? null : new Recording();
        if (recording != null) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
            recording.start();
        }
        Files.exists(Path.of(START_MARK));
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            spawn(args[0]);
        }
        long spent = System.nanoTime() - start;
        Files.exists(Path.of(END_MARK));
        if (recording != null) {
            recording.stop();
            recording.dump(Path.of(jfr));
            recording.close();
        }
        System.out.printf("%s: %d spawn+wait, %.1f us each%n", args[0], count, spent / 1e3 / Math.max(1, count));
    }

    private static void spawn(String library) throws IOException, InterruptedException {
        switch (library) {
            case "procgroup" -> Children.trueWithProcgroup();
            case "processBuilder" -> Children.trueWithProcessBuilder();
            case "nuProcess" -> NuPeer.trueWithNuProcess();
            default -> throw new IllegalArgumentException("unknown library " + library);
        }
    }
}
