package io.github.procgroup.internal.linux;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A platform thread that waits for its child sees the exit on a pidfd of its own and reaps the
 * child itself, without the hop through the exit watcher's thread; a virtual thread leaves it to
 * the watcher. Either way the child is reaped exactly once, with its status, the watcher keeps
 * no entry for it afterwards, and no fd is left open. Observed through which thread completed
 * the exit future, the watcher's entries, /proc and the JVM's fd count.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "pidfds are Linux's")
@ExtendWith(NoLeftovers.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WaitInCallerThreadTest {

    @AfterEach
    void restorePidfdOpen() {
        OwnedPid.replacePidfdOpener(null);
    }

    @Test
    void aPlatformThreadReapsItsChildItself() throws Exception {
        int base = ExitWatcher.watchedForTests(); // what other tests' children left: nothing, normally
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "read x; exit 5").start()) {
            ChildProcess child = Internals.childOf(p);
            AtomicReference<String> reaper = new AtomicReference<>();
            child.exit().thenRun(() -> reaper.set(Thread.currentThread().getName()));
            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(() -> closeStdin(p));
            assertTrue(child.awaitExitHere(TimeUnit.SECONDS.toNanos(20)), "reaped within the wait");
            assertEquals(ExitStatus.exited(5), p.awaitExit());
            assertEquals(Thread.currentThread().getName(), reaper.get(), "reaped in the waiting thread");
            assertTrue(ProcFs.proc(p.pid()).isEmpty(), "reaped, not a zombie");
            assertEquals(base, ExitWatcher.watchedForTests(), "the watcher gave it up for the wait");
        }
    }

    @Test
    void aWaitThatTimesOutHandsTheChildBackToTheWatcher() throws Exception {
        int base = ExitWatcher.watchedForTests();
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "read x; exit 6").start()) {
            ChildProcess child = Internals.childOf(p);
            assertFalse(child.awaitExitHere(TimeUnit.MILLISECONDS.toNanos(30)), "it still runs");
            assertEquals(base + 1, ExitWatcher.watchedForTests(), "watched again");
            closeStdin(p);
            // Only the watcher can reap it now: this thread waits on the future, and nothing else waits.
            assertEquals(ExitStatus.exited(6), child.exit().get(20, TimeUnit.SECONDS));
            assertEquals(base, ExitWatcher.watchedForTests());
            assertTrue(ProcFs.proc(p.pid()).isEmpty(), "reaped, not a zombie");
        }
    }

    @Test
    void aVirtualThreadLeavesTheWaitToTheWatcher() throws Exception {
        int base = ExitWatcher.watchedForTests();
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "read x; exit 4").start()) {
            ChildProcess child = Internals.childOf(p);
            AtomicReference<Object> here = new AtomicReference<>();
            AtomicReference<Object> status = new AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    here.set(child.awaitExitHere(TimeUnit.SECONDS.toNanos(20)));
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(() -> closeStdin(p));
                    status.set(p.awaitExit());
                } catch (InterruptedException e) {
                    status.set(e);
                }
            }).join(20_000);
            assertEquals(false, here.get(), "a native poll would pin the carrier: it returns at once");
            assertEquals(ExitStatus.exited(4), status.get(), "reaped by the watcher, waited for on the exit future");
            assertEquals(base, ExitWatcher.watchedForTests());
        }
    }

    @Test
    void anInterruptEndsTheWaitInTheThreadAtOnce() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "30").start()) {
            Thread waiter = Thread.currentThread();
            CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS).execute(waiter::interrupt); // within the in-thread wait
            long start = System.nanoTime();
            assertThrows(InterruptedException.class, p::awaitExit);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "interrupted, not waited out");
            assertTrue(p.isAlive());
        }
    }

    @Test
    void withoutAPidfdTheWatchersWayIsTaken() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "exit 3").start()) {
            OwnedPid.replacePidfdOpener(pid -> -LibC.EMFILE()); // the waiting thread cannot open one
            assertEquals(ExitStatus.exited(3), p.awaitExit());
            assertTrue(ProcFs.proc(p.pid()).isEmpty(), "reaped, not a zombie");
        }
    }

    @Test
    void manyThreadsRacingTheWatcherReapEachChildOnceAndLeaveNoFd() throws Exception {
        int base = ExitWatcher.watchedForTests();
        long fdsBefore = ProcFs.openFdCount();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> rounds = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int code = t;
                rounds.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        // Odd rounds exit at once (the watcher's event can come first), even ones after a moment.
                        String script = (i % 2 == 0 ? "sleep 0.01; " : "") + "exit " + code;
                        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", script).start()) {
                            assertEquals(ExitStatus.exited(code), p.awaitExit());
                            assertFalse(p.isAlive());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> r : rounds) {
                r.get(50, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(base, ExitWatcher.watchedForTests(), "no entry kept for a child reaped elsewhere");
        ProcFs.await(() -> ProcFs.openFdCount() <= fdsBefore, Duration.ofSeconds(10),
                () -> "fds: " + fdsBefore + " before, " + ProcFs.openFdCount() + " after");
        assertTrue(ProcFs.childrenOfThisJvm().isEmpty(), "nothing left to reap");
    }

    private static void closeStdin(GroupProcess p) {
        try {
            p.getOutputStream().close(); // read x fails at end of input: the shell exits
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
