package io.github.procgroup.internal.linux;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path taken where pidfd_open is missing (Linux before 5.3, glibc before 2.36) or fails
 * (EMFILE), through the real start() wiring with pidfd_open made to fail (OwnedPid's seam): a
 * child without a pidfd is waited for by a thread of its own, reaped exactly once, its status is
 * still right, and its signals go by pid while it is unreaped.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PidfdFallbackTest {

    @AfterEach
    void restorePidfdOpen() {
        OwnedPid.replacePidfdOpener(null);
    }

    @Test
    void childWithoutPidfdIsReapedByItsOwnWaitingThread() throws Exception {
        OwnedPid.replacePidfdOpener(pid -> -LibC.ENOSYS());
        GroupProcess child = new GroupProcessBuilder("sh", "-c", "read x; exit 7").start();
        OwnedPid.replacePidfdOpener(null);
        try {
            String waiter = "procgroup-wait-" + child.pid();
            assertTrue(threadNamed(waiter), "a thread waits for this child alone");
            assertTrue(child.signalLeader(io.github.procgroup.Signal.CONT), "signals go by pid without a pidfd");

            child.getOutputStream().close(); // read x fails at end of input: the shell exits 7

            assertEquals(Optional.of(ExitStatus.exited(7)), child.awaitExit(Duration.ofSeconds(10)));
            assertTrue(ProcFs.proc(child.pid()).isEmpty(), "reaped, not a zombie");
            ProcFs.await(() -> !threadNamed(waiter), Duration.ofSeconds(5), () -> waiter + " still runs");
            assertTrue(child.resourceUsage().isPresent());
        } finally {
            child.close();
        }
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
    }
}
