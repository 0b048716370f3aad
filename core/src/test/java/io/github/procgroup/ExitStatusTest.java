package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class ExitStatusTest {

    @Test
    void exitCodeIsPassedThrough() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "exit 3").start()) {
            ExitStatus status = p.awaitExit();
            assertTrue(status.exited());
            assertEquals(OptionalInt.of(3), status.exitCode());
            assertEquals(3, p.waitFor());
            assertEquals(3, p.exitValue());
        }
    }

    @Test
    void sigkillIsReportedAsSignalNine() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            p.destroyForcibly();
            ExitStatus status = p.awaitExit();
            assertTrue(status.signaled());
            assertEquals(OptionalInt.of(9), status.signalNumber());
            assertEquals(OptionalInt.empty(), status.exitCode());
            assertEquals(128 + 9, status.shellCode());
        }
    }

    @Test
    void segfaultWithoutCoreDumpIsReportedAsSigsegv() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "ulimit -c 0; kill -SEGV $$").start()) {
            ExitStatus status = p.awaitExit();
            assertEquals(Signal.SEGV, status.signal().orElseThrow());
            assertFalse(status.coreDumped());
            assertEquals("killed by SIGSEGV", status.toString());
        }
    }

    @Test
    void rawWaitStatusesDecodeAsTheWaitMacrosDo() {
        assertEquals(ExitStatus.exited(0), ExitStatus.fromWaitStatus(0));
        assertEquals(ExitStatus.exited(255), ExitStatus.fromWaitStatus(0xff00));
        assertEquals(ExitStatus.killedBy(15, false), ExitStatus.fromWaitStatus(15));
        assertEquals(ExitStatus.killedBy(11, true), ExitStatus.fromWaitStatus(0x80 | 11));
        assertThrows(IllegalArgumentException.class, () -> ExitStatus.fromWaitStatus(0x137f)); // stopped by SIGSTOP
    }
}
