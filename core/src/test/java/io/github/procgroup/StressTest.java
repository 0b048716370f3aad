package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many spawn/kill cycles of a 3-process tree: afterwards no zombie, and the JVM's fds and
 * threads are back where they were. Cycles: {@code -Dprocgroup.stress.cycles}, which the build
 * sets to 200 for {@code mvn verify} and to 2,000 with {@code -Pstress} ({@code .ci/run} runs both).
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class StressTest {
    private static final int CYCLES = Integer.getInteger("procgroup.stress.cycles", 200);

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // 2,000 cycles take about a minute on 2 loaded cores
    void spawnAndKillThreeProcessTreesWithoutLeaks() throws Exception {
        cycle(); // warm up: the exit watcher's thread and epoll fd exist from here on
        int fds = ProcFs.openFdCount();
        int threads = threadCount();
        List<Long> groups = new ArrayList<>(CYCLES);
        long started = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            groups.add(cycle());
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("stress: %d cycles of a 3-process tree in %d ms (%.0f cycles/s)%n",
                CYCLES, tookMillis, CYCLES * 1000.0 / tookMillis);

        List<ProcFs.Proc> survivors = ProcFs.all().stream()
                .filter(p -> groups.contains(p.pgid()) && p.state() != 'Z').toList();
        assertEquals(List.of(), survivors, "live processes of the killed trees");
        assertEquals(List.of(), ProcFs.childrenOfThisJvm(), "children (zombies) of this JVM");
        // Members re-parented to init are reaped by it, by some inits seconds late: give it the time.
        ProcFs.await(() -> ProcFs.all().stream().noneMatch(p -> groups.contains(p.pgid())), Duration.ofSeconds(30),
                () -> "zombies of the killed trees left: " + ProcFs.all().stream()
                        .filter(p -> groups.contains(p.pgid())).toList());
        assertEquals(fds, ProcFs.openFdCount(), "open fds of this JVM");
        ProcFs.await(() -> threadCount() <= threads, Duration.ofSeconds(10),
                () -> "threads: " + threadCount() + " after, " + threads + " before");
    }

    /** One cycle: a shell with two background sleeps, all three running, then close(). @return its pgid */
    private static long cycle() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & sleep 600 & echo up; wait").start();
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        if (!"up".equals(out.readLine())) { // both sleeps are forked once the shell echoes
            throw new AssertionError("the tree did not start");
        }
        p.close();
        return p.processGroupId();
    }

    private static int threadCount() {
        return Integer.parseInt(ProcFs.statusField(ProcFs.self(), "Threads").orElseThrow());
    }
}
