package io.github.procgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The portable limits: values checked, each knob counted by any(). */
@Timeout(10)
class LimitsTest {
    @Test
    void limitsAreValidated() {
        assertFalse(Limits.NONE.any());
        assertFalse(Limits.NONE.withBestEffort(true).any(), "best effort alone limits nothing");
        assertTrue(Limits.NONE.withMaxMemory(1 << 20).any());
        assertTrue(Limits.NONE.withMaxProcesses(3).any());
        assertTrue(Limits.NONE.withCpuCores(0.25).any());
        assertTrue(Limits.NONE.withProcessCpuTime(Duration.ofSeconds(1)).any());
        assertThrows(IllegalArgumentException.class, () -> Limits.NONE.withMaxProcesses(-1));
        assertThrows(IllegalArgumentException.class, () -> Limits.NONE.withMaxMemory(-1));
        assertThrows(IllegalArgumentException.class, () -> Limits.NONE.withCpuCores(-0.5));
        assertThrows(IllegalArgumentException.class, () -> Limits.NONE.withCpuCores(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Limits.NONE.withProcessCpuTime(Duration.ZERO));
        Limits all = Limits.NONE.withMaxProcesses(4).withMaxMemory(5).withCpuCores(1.5).withBestEffort(true);
        assertEquals(new Limits(4, 5, 1.5, java.util.Optional.empty(), true), all);
    }

    @Test
    void jobObjectIsReportedNeverAskedFor() {
        assertThrows(IllegalArgumentException.class,
                () -> new GroupProcessBuilder("true").containment(Containment.JOB_OBJECT));
        assertEquals(Containment.GROUP, new GroupProcessBuilder("true").containment(), "GROUP is the default");
    }
}
