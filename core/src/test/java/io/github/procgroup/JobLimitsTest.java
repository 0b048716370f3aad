package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job limits are Windows options: the Linux backend never reads them, so a portable program may
 * set them unconditionally (what the Windows backend makes of them: WindowsEncodingTest).
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class JobLimitsTest {

    @Test
    void linuxIgnoresWindowsOptions() throws Exception {
        // At most one process at once, were this Windows: the shell and its two children run all the same.
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c", "true & true & wait")
                .windowsOptions(WindowsOptions.NONE.withJobLimits(JobLimits.NONE.withActiveProcesses(1)));
        try (GroupProcess p = b.start()) {
            assertEquals(0, p.waitFor());
        }
        assertEquals(1, b.windowsOptions().jobLimits().activeProcesses());
    }

    @Test
    void limitsAreValidated() {
        assertFalse(JobLimits.NONE.any());
        assertTrue(JobLimits.NONE.withJobMemory(1 << 20).any());
        assertThrows(IllegalArgumentException.class, () -> JobLimits.NONE.withActiveProcesses(-1));
        assertThrows(IllegalArgumentException.class, () -> JobLimits.NONE.withProcessCpuTime(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new GroupProcessBuilder("true").windowsOptions(null));
        assertSame(WindowsOptions.NONE, new GroupProcessBuilder("true").windowsOptions());
    }
}
