package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.Children;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many threads spawning at once, and many children alive at once. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class ConcurrencyTest {
    private static final int THREADS = 50;
    private static final int SPAWNS_PER_THREAD = 4;

    @Test
    void twoHundredSpawnsFromFiftyVirtualThreadsAllGetTheirOwnStatus() throws Exception {
        Children.warmUp();
        runConcurrently(2, 2); // loads the classes virtual threads and futures need
        List<Integer> fdsBefore = ProcFs.openFds();

        List<Integer> mismatches = runConcurrently(THREADS, SPAWNS_PER_THREAD);

        assertEquals(List.of(), mismatches, "spawns whose status was not their own");
        ProcFs.await(() -> fdsBefore.equals(ProcFs.openFds()), Duration.ofSeconds(5),
                () -> "fds before " + fdsBefore + ", after " + ProcFs.openFds());
        assertEquals(List.of(), ProcFs.childrenOfThisJvm());
    }

    /** @return the numbers of the spawns whose exit code was not theirs (none, if all is well) */
    private static List<Integer> runConcurrently(int threads, int spawnsPerThread) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Integer>>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(executor.submit(() -> {
                    go.await();
                    List<Integer> wrong = new ArrayList<>();
                    for (int i = 0; i < spawnsPerThread; i++) {
                        int n = thread * spawnsPerThread + i;
                        int code = n % 256;
                        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "exit " + code).start()) {
                            if (p.waitFor() != code || p.exitStatus().orElseThrow().exitCode().getAsInt() != code) {
                                wrong.add(n);
                            }
                        }
                    }
                    return wrong;
                }));
            }
            go.countDown();
        }
        List<Integer> wrong = new ArrayList<>();
        for (Future<List<Integer>> r : results) {
            wrong.addAll(r.get(60, TimeUnit.SECONDS));
        }
        return wrong;
    }

    @Test
    void hundredLiveChildrenNeedNoThreadEach() throws Exception {
        Children.warmUp();
        int threadsBefore = Thread.getAllStackTraces().size();
        List<GroupProcess> children = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                children.add(new GroupProcessBuilder("sleep", "60").start());
            }
            for (GroupProcess p : children) {
                assertTrue(p.isAlive());
            }
            int grown = Thread.getAllStackTraces().size() - threadsBefore;
            assertTrue(grown <= 3, "threads grew by " + grown + " for 100 children");
        } finally {
            children.forEach(GroupProcess::destroyForcibly);
            children.forEach(GroupProcess::close);
        }
        for (GroupProcess p : children) {
            assertEquals(Signal.KILL, p.exitStatus().orElseThrow().signal().orElseThrow(), "each exit detected");
        }
    }
}
