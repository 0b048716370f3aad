package io.github.procgroup.benchmarks;

import io.github.procgroup.Containment;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The first spawn + wait of {@code /bin/true} in a fresh JVM: one shot per forked JVM, no warm-up,
 * so the figure is the library's class loading, linking and initialisation plus one spawn. The
 * classes the JVM loaded during the shot are an auxiliary counter. Compare sets the number of
 * forks (each fork is one sample); the score is the mean over forks.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 5, jvmArgsAppend = Children.NATIVE_ACCESS)
public class ColdStartBenchmark {

    /** Classes loaded during the shot; JMH sums over forks, so the table divides by {@code shots}. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Classes {
        /** Classes the JVM loaded during the shot. */
        public long classesLoaded;
        /** Shots measured. */
        public long shots;
        private ClassLoadingMXBean bean;
        private long before;

        /** Takes the count before the shot (loading the management classes is not counted). */
        @Setup(Level.Iteration)
        public void countBefore() {
            bean = ManagementFactory.getClassLoadingMXBean();
            classesLoaded = 0;
            shots = 0;
            before = bean.getTotalLoadedClassCount();
        }

        void record() {
            classesLoaded += bean.getTotalLoadedClassCount() - before;
            shots++;
        }
    }

    /** @return the exit code */
    @Benchmark
    public int procgroup(Classes classes) throws IOException, InterruptedException {
        int code = Children.trueWithProcgroup();
        classes.record();
        return code;
    }

    /**
     * procgroup in a JVM started with an AOT cache (JDK 25's {@code -XX:AOTCache}, JEP 483 and
     * 514) that {@link #trainAotCache} made beforehand from one spawn+wait: what an application
     * that ships such a cache gets. {@code -XX:AOTMode=on} makes a cache the JVM cannot use (another
     * JDK, another class path) fail the fork rather than run without it; Compare leaves this row
     * out where no cache could be made.
     *
     * @return the exit code
     */
    @Benchmark
    @Fork(value = 5, jvmArgsAppend = {Children.NATIVE_ACCESS, "-XX:AOTMode=on", "-XX:AOTCache=" + AOT_CACHE})
    public int procgroupAotCache(Classes classes) throws IOException, InterruptedException {
        int code = Children.trueWithProcgroup();
        classes.record();
        return code;
    }

    /**
     * procgroup with {@code containment(Containment.CGROUP)}: the first spawn into a leaf cgroup of
     * its own (created, entered before the program runs, removed after the reap, which
     * {@code close()} waits for). Compare leaves this row out where this user cannot create a
     * cgroup.
     *
     * @return the exit code
     */
    @Benchmark
    public int procgroupCgroup(Classes classes) throws IOException, InterruptedException {
        int code;
        try (GroupProcess p = new GroupProcessBuilder(Children.TRUE).containment(Containment.CGROUP).start()) {
            code = p.waitFor();
        }
        classes.record();
        return code;
    }

    /** Where {@link #trainAotCache} writes the cache, relative to the repository (run.sh runs there). */
    static final String AOT_CACHE = "benchmarks/target/cold-start.aot";

    /**
     * Makes {@link #AOT_CACHE}: a JVM with this JVM's java and class path runs one spawn+wait of
     * {@code /bin/true} ({@link Training}) with {@code -XX:AOTCacheOutput} (JDK 25+).
     *
     * @return why no cache was made, or empty if it was
     */
    static Optional<String> trainAotCache() throws IOException, InterruptedException {
        if (Runtime.version().feature() < 25) {
            return Optional.of("needs JDK 25's -XX:AOTCacheOutput, this is " + Runtime.version().feature());
        }
        Path cache = Path.of(AOT_CACHE);
        Files.deleteIfExists(cache);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process training = new ProcessBuilder(java.toString(), "-XX:AOTCacheOutput=" + cache, Children.NATIVE_ACCESS,
                "-cp", System.getProperty("java.class.path"), Training.class.getName())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!training.waitFor(120, TimeUnit.SECONDS)) {
            training.destroyForcibly().waitFor();
            return Optional.of("the training run took over 120 s");
        }
        if (training.exitValue() != 0 || !Files.isRegularFile(cache)) {
            return Optional.of("the training run failed (exit " + training.exitValue() + ")");
        }
        return Optional.empty();
    }

    /** The training run of {@link #trainAotCache}: one spawn+wait, as the measured shot makes. */
    public static final class Training {
        private Training() {
        }

        /** @param args none */
        public static void main(String[] args) throws IOException, InterruptedException {
            System.exit(Children.trueWithProcgroup());
        }
    }

    /** @return the exit code */
    @Benchmark
    public int processBuilder(Classes classes) throws IOException, InterruptedException {
        int code = Children.trueWithProcessBuilder();
        classes.record();
        return code;
    }

    /**
     * The floor: the same system calls through the same downcall shape with bare FFM ({@link FfmFloor}).
     *
     * @return the exit code
     */
    @Benchmark
    public int ffmFloor(Classes classes) throws Throwable {
        int code = FfmFloor.trueOnce();
        classes.record();
        return code;
    }

    /** @return the exit code */
    @Benchmark
    public int nuProcess(Classes classes) throws InterruptedException {
        int code = NuPeer.trueWithNuProcess();
        classes.record();
        return code;
    }
}
