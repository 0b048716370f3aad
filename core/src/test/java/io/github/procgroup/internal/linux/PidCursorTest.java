package io.github.procgroup.internal.linux;

import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pid cursor read through the /proc/loadavg fd it holds: fresh at every reading, close-on-exec,
 * and never misread, nor the other file disturbed, once code outside procgroup closed that fd and
 * its number names another file.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc/loadavg (Linux)")
@ExtendWith(NoLeftovers.class)
@Timeout(60)
class PidCursorTest {
    /** O_CLOEXEC as /proc/PID/fdinfo shows it (octal flags). */
    private static final int O_CLOEXEC = 02000000;

    @Test
    void onlyTheShapeOfLoadavgIsTakenForIt() throws Exception {
        assertTrue(PidCursor.isLoadavg(Files.readAllBytes(Path.of("/proc/loadavg"))));
        assertTrue(PidCursor.isLoadavg(ascii("0.31 0.09 0.03 1/123 4567\n")));
        assertFalse(PidCursor.isLoadavg(ascii("0.31 0.09 0.03 1/123 4567")), "no newline");
        assertFalse(PidCursor.isLoadavg(ascii("0.31 0.09 1/123 4567\n")), "two loads");
        assertFalse(PidCursor.isLoadavg(ascii("0.31 0.09 0.03 1/123 4567\n4568\n")), "more after the line");
        assertFalse(PidCursor.isLoadavg(Files.readAllBytes(Path.of("/proc/self/stat"))));
        assertFalse(PidCursor.isLoadavg(ascii("")));
    }

    @Test
    void eachReadingOfTheHeldFdIsFresh() throws Exception {
        PidCursor.read();
        int held = heldFd();
        for (int i = 0; i < 3; i++) {
            Process p = new ProcessBuilder("true").start();
            assertEquals(0, p.waitFor());
            long cursor = PidCursor.read();
            assertTrue(cursor >= p.pid() || cursor < 300, "the cursor " + cursor + " passed pid " + p.pid() + " (or wrapped)");
        }
        assertEquals(held, heldFd(), "one fd, read again");
        String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + held));
        int flags = Integer.parseInt(fdinfo.lines().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow()
                .substring("flags:".length()).trim(), 8);
        assertNotEquals(0, flags & O_CLOEXEC, "close-on-exec: " + fdinfo);
    }

    @Test
    void aHeldFdClosedBehindItsBackIsGivenUpAndNotClosed(@TempDir Path dir) throws Exception {
        PidCursor.read();
        int held = heldFd();
        Path other = dir.resolve("other");
        // Ends in a number, as loadavg does, but one above any pid_max (4194304 at most).
        Files.writeString(other, "not the load average 5000000\n");
        List<Integer> opened = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, Posix.close(held)); // as code outside procgroup might
            // The lowest free numbers go first: open until the file takes the held fd's number.
            while (opened.isEmpty() || opened.getLast() != held) {
                int fd = Posix.open(arena.allocateFrom(other.toString()), 0, 0);
                assertTrue(fd >= 0 && fd <= held, "open: " + fd);
                opened.add(fd);
            }
            Process p = new ProcessBuilder("true").start();
            assertEquals(0, p.waitFor());
            long cursor = PidCursor.read();
            assertTrue(cursor <= 4194304, "a pid, not the other file's number: " + cursor);
            assertTrue(cursor >= p.pid() || cursor < 300, "the cursor " + cursor + " passed pid " + p.pid() + " (or wrapped)");
            assertEquals(other.toString(), ProcFs.fdTarget(ProcFs.self(), held), "the other file's fd is left open");
            assertTrue(Files.readString(Path.of("/proc/self/fdinfo/" + held)).startsWith("pos:\t0\n"),
                    "the other file's position has not moved");
            assertEquals(-1, heldFdOrMinusOne(), "no fd on /proc/loadavg is held any more");
        } finally {
            opened.forEach(Posix::close);
            PidCursor.retryAfterGivingUp(); // later readings, in this JVM's other tests, hold the file again
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the one fd of this JVM on /proc/loadavg */
    private static int heldFd() {
        int fd = heldFdOrMinusOne();
        assertNotEquals(-1, fd, "an fd on /proc/loadavg is held");
        return fd;
    }

    private static int heldFdOrMinusOne() {
        List<Integer> onLoadavg = ProcFs.fdsOn("/proc/loadavg");
        assertTrue(onLoadavg.size() <= 1, "fds on /proc/loadavg: " + onLoadavg);
        return onLoadavg.isEmpty() ? -1 : onLoadavg.getFirst();
    }
}
