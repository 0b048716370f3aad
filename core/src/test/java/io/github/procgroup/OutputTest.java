package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Output is neither lost nor deadlocked. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class OutputTest {
    private static final int CHUNK = 1 << 20;
    private static final int CHUNKS = 100;

    @Test
    void hundredMegabytesThroughCatArriveIntact() throws Exception {
        byte[] chunk = new byte[CHUNK];
        new Random(42).nextBytes(chunk);
        try (GroupProcess p = new GroupProcessBuilder("cat").start()) {
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> write(p.getOutputStream(), chunk));
            CRC32 received = new CRC32();
            long count = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream out = p.getInputStream()) {
                for (int n; (n = out.read(buffer)) >= 0; count += n) {
                    received.update(buffer, 0, n);
                }
            }
            assertEquals((long) CHUNK * CHUNKS, count, "bytes");
            assertEquals(sent.join(), received.getValue(), "CRC32");
            assertEquals(0, p.waitFor());
        }
    }

    /** Writes the chunk {@link #CHUNKS} times, each time with its first byte the chunk's index; @return the CRC32 */
    private static long write(OutputStream in, byte[] chunk) {
        CRC32 crc = new CRC32();
        try (in) {
            for (int i = 0; i < CHUNKS; i++) {
                chunk[0] = (byte) i; // so that lost, repeated or reordered chunks change the checksum
                in.write(chunk);
                crc.update(chunk);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return crc.getValue();
    }

    @Test
    void outputWrittenBeforeExitIsReadableAfterWaitFor() throws Exception {
        // Both fit in a pipe (64 KiB), so the child exits without anyone reading.
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c",
                "yes stdout-line | head -c 50000; yes stderr-line | head -c 30000 >&2; exit 3");
        try (GroupProcess p = b.start()) {
            assertEquals(3, p.waitFor());
            assertEquals(50000, p.getInputStream().readAllBytes().length);
            assertEquals(30000, p.getErrorStream().readAllBytes().length);
        }
    }

    @Test
    void childsStdinSeesEndOfInputWhenTheStreamIsClosed() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("wc", "-c").start()) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(new byte[12345]);
            }
            assertEquals("12345", new String(p.getInputStream().readAllBytes()).trim());
            assertEquals(0, p.waitFor());
        }
    }
}
