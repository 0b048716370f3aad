package io.github.procgroup;

import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Durations too long for a long of nanoseconds mean "no limit": they saturate, never overflow. */
@ExtendWith(NoLeftovers.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LongDurationTest {
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    @Test
    void terminateWithAnEndlessGraceEndsTheTree() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & exec sleep 601").start();
        ProcFs.awaitLiveMembers(p.processGroupId(), 2, Duration.ofSeconds(10));
        ExitStatus status = p.terminate(FOREVER);
        assertEquals(Optional.of(Signal.TERM), status.signal(), status.toString());
        ProcFs.awaitGroupGone(p.processGroupId(), Duration.ofSeconds(10));
        p.close();
    }

    @Test
    void endlessWaitsReturnTheStatus() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "exit 3").start()) {
            assertEquals(Optional.of(ExitStatus.exited(3)), p.awaitExit(FOREVER));
            assertEquals(true, p.waitFor(Long.MAX_VALUE, TimeUnit.DAYS));
        }
    }
}
