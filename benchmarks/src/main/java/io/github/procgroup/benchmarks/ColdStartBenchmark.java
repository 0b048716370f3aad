package io.github.procgroup.benchmarks;

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

    /** @return the exit code */
    @Benchmark
    public int processBuilder(Classes classes) throws IOException, InterruptedException {
        int code = Children.trueWithProcessBuilder();
        classes.record();
        return code;
    }

    /**
     * The floor: the same system calls through the same downcall shapes with bare FFM ({@link FfmFloor}).
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
