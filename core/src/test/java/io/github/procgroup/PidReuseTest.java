package io.github.procgroup;

import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stale handle (its leader reaped, its pid P handed to a newcomer that leads a group P of its
 * own) never signals or lists the newcomer's processes. The pid is reused on purpose through
 * /proc/sys/kernel/ns_last_pid, which only root may write: skipped otherwise. Another process on
 * the machine may take P first; each case retries a few times and is skipped, saying so, if it
 * never got P.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PidReuseTest {
    private static final Path NS_LAST_PID = Path.of("/proc/sys/kernel/ns_last_pid");
    private static final int ATTEMPTS = 20;
    private final List<Long> strangers = new ArrayList<>();

    @AfterEach
    void killStrangers() {
        for (long pid : strangers) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (long pid : strangers) {
            ProcFs.await(() -> !ProcFs.running(pid), Duration.ofSeconds(10), () -> "stranger " + pid + " survives");
        }
    }

    /** A setsid shell outside procgroup gets the stale leader's pid; its child sits in a session of its own. */
    @Test
    void staleHandleSparesAnOutsideSessionThatReusedThePid() throws Exception {
        assumeCanSetLastPid();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            GroupProcess stale = new GroupProcessBuilder("true").start();
            stale.waitFor();
            long p = stale.pid();
            setLastPid(p - 1);
            // The JDK's child is not a group leader, so setsid(1) calls setsid() itself and execs in place.
            Process stranger = new ProcessBuilder("setsid", "sh", "-c", "setsid sleep 600 & echo $!; exec sleep 600")
                    .redirectErrorStream(true).start();
            if (stranger.pid() != p) {
                stranger.destroyForcibly().waitFor();
                stale.close();
                continue; // someone else took P
            }
            try {
                long child = Long.parseLong(new BufferedReader(stranger.inputReader(StandardCharsets.UTF_8)).readLine());
                strangers.add(child);
                ProcFs.await(() -> ProcFs.proc(child).map(c -> c.sid() == child).orElse(false)
                                && ProcFs.proc(p).map(s -> s.pgid() == p && s.comm().equals("sleep")).orElse(false),
                        Duration.ofSeconds(10), () -> "stranger not set up: " + ProcFs.proc(p) + " " + ProcFs.proc(child));

                assertStaleHandleTouchesNothing(stale, p, child);
                return;
            } finally {
                stranger.destroyForcibly().waitFor();
            }
        }
        Assumptions.abort("pid " + ATTEMPTS + " times taken by another process before the test could reuse it");
    }

    /** A newer procgroup child got the stale leader's pid; its own escapee must survive the stale handle. */
    @Test
    void staleHandleSparesANewerProcgroupChildThatReusedThePid() throws Exception {
        assumeCanSetLastPid();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            GroupProcess stale = new GroupProcessBuilder("true").start();
            stale.waitFor();
            long p = stale.pid();
            setLastPid(p - 1);
            try (GroupProcess newer = new GroupProcessBuilder("sh", "-c", "setsid sleep 600 & echo $!; exec sleep 600")
                    .start()) {
                if (newer.pid() != p) {
                    stale.close();
                    continue;
                }
                long child = Long.parseLong(new BufferedReader(newer.inputReader(StandardCharsets.UTF_8)).readLine());
                strangers.add(child);
                ProcFs.await(() -> ProcFs.proc(child).map(c -> c.sid() == child).orElse(false)
                                && ProcFs.proc(p).map(s -> s.comm().equals("sleep")).orElse(false),
                        Duration.ofSeconds(10), () -> "newer tree not set up: " + ProcFs.proc(p) + " " + ProcFs.proc(child));

                assertStaleHandleTouchesNothing(stale, p, child);
                assertTrue(newer.tree().stream().anyMatch(i -> i.pid() == child), "the newer handle still owns its tree");
            }
            return;
        }
        Assumptions.abort("pid " + ATTEMPTS + " times taken by another process before the test could reuse it");
    }

    private static void assertStaleHandleTouchesNothing(GroupProcess stale, long p, long child) throws Exception {
        assertEquals(List.of(), stale.members(), "the stale handle lists the newcomer's group as its own");
        assertEquals(List.of(), stale.tree(), "the stale handle lists the newcomer's tree as its own");
        assertTrue(!stale.signal(Signal.KILL), "signal() reports no member of its own");
        stale.destroyForcibly();
        stale.terminate(Duration.ofMillis(100));
        stale.close();
        // Give a wrongly sent SIGKILL time to land, bounded: both must still run a while later.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() - deadline < 0) {
            assertTrue(ProcFs.running(p), "the process that reused pid " + p + " was killed");
            assertTrue(ProcFs.running(child), "its child " + child + " in a session of its own was killed");
            Thread.sleep(20);
        }
    }

    private static void assumeCanSetLastPid() {
        Assumptions.assumeTrue(Files.isWritable(NS_LAST_PID),
                NS_LAST_PID + " is not writable (needs root in the initial pid namespace): pid reuse cannot be forced");
    }

    private static void setLastPid(long pid) throws IOException {
        Files.writeString(NS_LAST_PID, Long.toString(pid));
    }
}
