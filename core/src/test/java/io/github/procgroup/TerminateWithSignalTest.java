package io.github.procgroup;

import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link GroupProcess#terminate(Signal, Duration)}: the chosen signal first, SIGKILL after the grace. */
@ExtendWith(NoLeftovers.class)
class TerminateWithSignalTest {
    /**
     * The leader traps SIGINT and exits 42, so it got SIGINT, not SIGTERM; its background sleep has
     * SIGINT ignored (a non-interactive shell's background job), so only SIGKILL ends it.
     */
    @Test
    void theChosenSignalGoesFirstAndSigkillEndsWhatIgnoresIt() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "trap 'exit 42' INT; sleep 1000 & echo $!; while :; do sleep 0.1; done").start()) {
            long sleep = Long.parseLong(p.inputReader(StandardCharsets.UTF_8).readLine());

            ExitStatus status = p.terminate(Signal.INT, Duration.ofMillis(500));

            assertEquals(ExitStatus.exited(42), status);
            assertEquals(List.of(), p.tree(), "terminate returned with the tree still running");
            assertEquals(false, ProcFs.running(sleep), "the INT-ignoring sleep survived SIGKILL");
        }
    }
}
