package io.github.procgroup.internal.linux;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pipe poller that wakes virtual-thread readers parks in Java once no reader waits, so that
 * HotSpot's exit (which waits for threads in native code) does not wait for it; while a reader
 * waits, it is in epoll_wait and delivers the readiness. Observed through the poller thread's
 * state and stack.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(120)
class PipePollerIdleTest {

    @Test
    void thePollerServesAWaitingVirtualReaderThenParks() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "read line; echo \"got $line\"").start()) {
            CompletableFuture<String> read = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    read.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (Exception e) {
                    read.completeExceptionally(e);
                }
            });
            Thread poller = awaitPoller();
            // The reader is parked on the poller: the poller waits in epoll_wait for its fd.
            ProcFs.await(() -> poller.getState() == Thread.State.RUNNABLE, Duration.ofSeconds(20),
                    () -> "poller " + poller.getState() + " " + Arrays.toString(poller.getStackTrace()));
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write("x\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("got x\n", read.get(20, TimeUnit.SECONDS), "the poller woke the reader");
            reader.join();
            ProcFs.await(() -> parked(poller), Duration.ofSeconds(20),
                    () -> "no reader waits, yet the poller is " + poller.getState() + " "
                            + Arrays.toString(poller.getStackTrace()));
            assertEquals(0, p.waitFor());
        }
    }

    private static Thread awaitPoller() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("procgroup-pipe-poller")) {
                    return t;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no procgroup-pipe-poller thread: the virtual reader never waited on it");
    }

    private static boolean parked(Thread thread) {
        return thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("java.util.concurrent.locks.LockSupport")
                        && f.getMethodName().equals("park"));
    }
}
