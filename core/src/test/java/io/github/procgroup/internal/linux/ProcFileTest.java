package io.github.procgroup.internal.linux;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ProcFile} against the JDK's own reading of the same files: a read that ends short of its
 * buffer is taken as the end, so the contents around and beyond one buffer (4 KiB) must come out
 * whole, and a file of a process that is gone reads as null.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads /proc (Linux)")
@ExtendWith(NoLeftovers.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProcFileTest {
    @Test
    void commandLinesAroundAndBeyondOneBufferReadWhole() throws Exception {
        // The shell's command line is "sh", "-c", "sleep 60; :" (19 bytes with their NULs) and the
        // argument: its whole length lands just before, at and after the early-end margin and the
        // buffer's size, and several buffers on. "; :" keeps the shell from exec'ing the sleep.
        for (int total : new int[] {21, 4031, 4032, 4033, 4095, 4096, 4097, 8192, 8193, 20_000}) {
            String argument = "x".repeat(total - 19);
            try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 60; :", argument).start()) {
                Path cmdline = Path.of("/proc/" + p.pid() + "/cmdline");
                byte[] expected = awaitCommandLine(cmdline);
                assertEquals(total, expected.length, "the command line's length");
                assertArrayEquals(expected, ProcFile.read(cmdline.toString()), "a command line of " + total + " bytes");
            }
        }
    }

    @Test
    void aChildrenFileListsEveryChild() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "i=0; while [ $i -lt 40 ]; do sleep 60 & i=$((i+1)); done; wait").start()) {
            String file = "/proc/" + p.pid() + "/task/" + p.pid() + "/children";
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (Files.readString(Path.of(file)).trim().split(" ").length < 40 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(Files.readString(Path.of(file)), ProcFile.readString(file));
            assertEquals(40, ProcFile.readString(file).trim().split(" ").length);
        }
    }

    @Test
    void aStatLineReadsAsTheJdkReadsIt() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            String file = "/proc/" + p.pid() + "/stat";
            // Once asleep in its nanosleep, a sleep's stat line stays as it is. A read between two
            // equal reads of the JDK's is taken; a line that moved meanwhile (the program still
            // loading) is read again.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (true) {
                String before = Files.readString(Path.of(file));
                String ours = ProcFile.readString(file);
                String after = Files.readString(Path.of(file));
                if (before.equals(after) || System.nanoTime() > deadline) {
                    assertEquals(before, ours);
                    assertEquals(before, after, "the stat line kept moving for 20 s");
                    return;
                }
                Thread.sleep(5);
            }
        }
    }

    @Test
    void aFileOfAProcessThatIsGoneIsNull() throws Exception {
        GroupProcess p = new GroupProcessBuilder("true").start();
        p.waitFor();
        p.close();
        assertNull(ProcFile.read("/proc/" + p.pid() + "/stat"), "reaped: ENOENT");
    }

    @Test
    void aPathLongerThanItsRoomIsRefused() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            parts.add("1234567");
        }
        String path = "/proc/" + String.join("/", parts);
        assertThrows(IllegalArgumentException.class, () -> ProcFile.read(path));
    }

    /**
     * @return the command line once the exec has set it: start() returns when the new program has
     *         replaced the JVM's memory, which is before the kernel has put its arguments there
     */
    private static byte[] awaitCommandLine(Path cmdline) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        byte[] now = Files.readAllBytes(cmdline);
        while (now.length == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
            now = Files.readAllBytes(cmdline);
        }
        return now;
    }
}
