package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Job limits are a Windows Job Object feature: on Linux a request for one fails before anything starts. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class JobLimitsTest {

    @Test
    void linuxRefusesJobLimitsAndStartsNothing() {
        int fds = ProcFs.openFdCount();
        GroupProcessBuilder b = new GroupProcessBuilder("sleep", "60").jobLimits(JobLimits.NONE.withActiveProcesses(4));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, b::start);
        assertTrue(e.getMessage().contains("Windows"), e.getMessage());
        assertEquals(fds, ProcFs.openFdCount(), "no fd left open");
    }

    @Test
    void limitsAreValidated() {
        assertFalse(JobLimits.NONE.any());
        assertTrue(JobLimits.NONE.withJobMemory(1 << 20).any());
        assertThrows(IllegalArgumentException.class, () -> JobLimits.NONE.withActiveProcesses(-1));
        assertThrows(IllegalArgumentException.class, () -> JobLimits.NONE.withProcessCpuTime(Duration.ZERO));
    }
}
