package io.github.procgroup;

import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(NoLeftovers.class)
class SpawnErrorsTest {

    @Test
    void missingProgramNamesEnoentAndTheProgramAndLeavesNothing() throws Exception {
        warmUp();
        List<Integer> fdsBefore = ProcFs.openFds();

        ErrnoException e = assertThrows(ErrnoException.class,
                () -> new GroupProcessBuilder("procgroup-no-such-program", "x").start());

        assertEquals("ENOENT", e.errnoName());
        assertEquals(2, e.errno());
        assertTrue(e.getMessage().contains("procgroup-no-such-program"), e.getMessage());
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        assertEquals(fdsBefore, ProcFs.openFds(), "no fd leaked");
        assertEquals(List.of(), ProcFs.childrenOfThisJvm(), "no child started");
    }

    @Test
    void missingAbsoluteProgramFailsInPosixSpawnWithEnoent() throws Exception {
        warmUp();
        List<Integer> fdsBefore = ProcFs.openFds();

        ErrnoException e = assertThrows(ErrnoException.class,
                () -> new GroupProcessBuilder("/nonexistent/procgroup-test").start());

        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.getMessage().contains("/nonexistent/procgroup-test"), e.getMessage());
        assertEquals(fdsBefore, ProcFs.openFds(), "the three pipes were closed again");
        assertEquals(List.of(), ProcFs.childrenOfThisJvm(), "no child started");
    }

    /** Loads classes and starts the exit watcher, whose epoll fd must not count as a leak. */
    private static void warmUp() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("true").start()) {
            p.waitFor();
        }
    }
}
