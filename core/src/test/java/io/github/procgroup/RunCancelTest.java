package io.github.procgroup;

import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancelling runAsync's future and interrupting a thread blocked in run() both end the whole tree. */
@ExtendWith(NoLeftovers.class)
class RunCancelTest {
    private static final String HUNG_TREE = "echo forked $$; sleep 30 & sleep 30 & wait";

    /** @return the builder, whose first stdout line counts {@code forked} down once both sleeps are forked */
    private static GroupProcessBuilder hungTree(CountDownLatch forked, AtomicReference<Long> pgid) {
        return new GroupProcessBuilder("sh", "-c", HUNG_TREE).grace(Duration.ofSeconds(2)).onStdoutLine(line -> {
            pgid.set(Long.parseLong(line.substring("forked ".length()))); // the shell leads its group
            forked.countDown();
        });
    }

    private static List<ProcFs.Proc> awaitTree(CountDownLatch forked, AtomicReference<Long> pgid) throws InterruptedException {
        assertTrue(forked.await(30, TimeUnit.SECONDS), "the shell started");
        return ProcFs.awaitLiveMembers(pgid.get(), 3, Duration.ofSeconds(10));
    }

    @Test
    @Timeout(60)
    void cancellingTheFutureEndsTheTree() throws Exception {
        CountDownLatch forked = new CountDownLatch(1);
        AtomicReference<Long> pgid = new AtomicReference<>();
        CompletableFuture<ProcessResult> future = hungTree(forked, pgid).runAsync();
        List<ProcFs.Proc> tree = awaitTree(forked, pgid);
        assertEquals(3, tree.size(), tree.toString());
        assertTrue(future.cancel(true));
        assertThrows(CancellationException.class, future::join);
        ProcFs.awaitGroupGone(pgid.get(), Duration.ofSeconds(20));
        for (ProcFs.Proc p : tree) {
            ProcFs.await(() -> !ProcFs.running(p.pid()), Duration.ofSeconds(10), () -> "survivor " + p);
        }
    }

    @Test
    @Timeout(60)
    void anAsyncRunCompletesWithTheResultOrTheTimeout() throws Exception {
        ProcessResult ok = new GroupProcessBuilder("sh", "-c", "echo async").runAsync(Duration.ofSeconds(30))
                .get(30, TimeUnit.SECONDS);
        assertEquals("async\n", ok.stdout());
        ProcessResult late = new GroupProcessBuilder("sleep", "30").runAsync(Duration.ofMillis(300))
                .get(30, TimeUnit.SECONDS);
        assertTrue(late.timedOut());
    }

    @Test
    @Timeout(60)
    void interruptingAThreadBlockedInRunEndsTheTreeThenThrows() throws Exception {
        CountDownLatch forked = new CountDownLatch(1);
        AtomicReference<Long> pgid = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<List<ProcFs.Proc>> leftAtThrow = new AtomicReference<>();
        Thread runner = Thread.ofPlatform().name("runner").start(() -> {
            try {
                hungTree(forked, pgid).run(Duration.ofSeconds(50));
            } catch (Throwable e) {
                // As the exception arrives, before any waiting. Members re-parented to init may wait as
                // zombies for init to reap them: those are dead.
                leftAtThrow.set(ProcFs.liveMembers(pgid.get()));
                thrown.set(e);
            }
        });
        List<ProcFs.Proc> tree = awaitTree(forked, pgid);
        runner.interrupt();
        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(runner.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertEquals(List.of(), leftAtThrow.get(), "run() threw only once nothing of the tree was left");
        for (ProcFs.Proc p : tree) {
            assertFalse(ProcFs.running(p.pid()), "survivor " + p);
        }
    }
}
