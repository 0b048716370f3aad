package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.Children;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@link Redirect} kind, as the child's fds and the parent's streams show it. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class StdioTest {
    @TempDir
    Path tmp;

    @Test
    void pipesCarryStdinToTheChildAndStdoutAndStderrBackSeparately() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "cat; echo to-stderr >&2").start()) {
            assertTrue(ProcFs.fdTarget(p.pid(), 0).startsWith("pipe:"));
            assertTrue(ProcFs.fdTarget(p.pid(), 1).startsWith("pipe:"));
            assertTrue(ProcFs.fdTarget(p.pid(), 2).startsWith("pipe:"));
            try (OutputStream in = p.getOutputStream()) {
                in.write("hello through cat\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("hello through cat\n", Children.text(p.getInputStream()));
            assertEquals("to-stderr\n", Children.text(p.getErrorStream()));
            assertEquals(0, p.waitFor());
        }
    }

    @Test
    void stdinIsBufferedAsTheJdksSmallWritesWaitForFlushLargeOnesGoAtOnce() throws Exception {
        Path received = tmp.resolve("received");
        for (boolean jdk : new boolean[] {true, false}) {
            Files.deleteIfExists(received);
            Files.createFile(received);
            List<String> cat = List.of("sh", "-c", "exec cat > \"$0\"", received.toString());
            Process p = jdk ? new ProcessBuilder(cat).start() : new GroupProcessBuilder(cat).start();
            try {
                OutputStream in = p.getOutputStream();
                in.write('a');
                in.write("bc".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(200); // cat copies what reaches it at once: nothing may have
                assertEquals(0, Files.size(received), (jdk ? "JDK" : "procgroup") + ": small writes stay buffered");
                in.flush();
                awaitSize(received, 3);
                in.write(new byte[10_000]);
                awaitSize(received, 10_003); // no flush: a write of 8 KiB or more goes to the pipe at once
                in.write('z');
                in.close(); // flushes
                assertEquals(0, p.waitFor());
                assertEquals(10_004, Files.size(received), (jdk ? "JDK" : "procgroup") + ": close() flushes");
                assertThrows(IOException.class, () -> {
                    in.write('!');
                    in.flush();
                }, "a closed stdin");
            } finally {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private static void awaitSize(Path file, long size) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Files.size(file) < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(size, Files.size(file));
    }

    @Test
    void inheritGivesTheChildTheJvmsOwnStdio() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").inheritIO().start()) {
            for (int fd = 0; fd <= 2; fd++) {
                assertEquals(ProcFs.fdTarget(ProcFs.self(), fd), ProcFs.fdTarget(p.pid(), fd), "fd " + fd);
            }
            assertEquals(-1, p.getInputStream().read(), "no stdout stream, as with ProcessBuilder");
            assertEquals(-1, p.getErrorStream().read(), "no stderr stream");
            assertThrows(IOException.class, () -> p.getOutputStream().write('x'), "no stdin stream");
            p.getInputStream().close();
            assertEquals(-1, p.getInputStream().read(), "closing the null stream changes nothing, as in the JDK");
        }
    }

    @Test
    void discardSendsOutputToDevNull() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c", "echo lost; echo lost >&2; exec sleep 60")
                .redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD);
        try (GroupProcess p = b.start()) {
            assertEquals("/dev/null", ProcFs.fdTarget(p.pid(), 1));
            assertEquals("/dev/null", ProcFs.fdTarget(p.pid(), 2));
            assertEquals(-1, p.getInputStream().read());
        }
    }

    @Test
    void inputFromAFileOutputToAFileTruncating() throws Exception {
        Path input = Files.writeString(tmp.resolve("in.txt"), "line one\nline two\n");
        Path output = Files.writeString(tmp.resolve("out.txt"), "old content that is longer than the new one\n");

        try (GroupProcess p = new GroupProcessBuilder("cat").redirectInput(input.toFile())
                .redirectOutput(output.toFile()).start()) {
            assertEquals(0, p.waitFor());
        }
        assertEquals("line one\nline two\n", Files.readString(output));
    }

    @Test
    void fileRedirectsBecomeTheChildsFds() throws Exception {
        Path input = Files.writeString(tmp.resolve("in.txt"), "");
        Path output = tmp.resolve("out.txt");
        Path errors = tmp.resolve("err.txt");
        GroupProcessBuilder b = new GroupProcessBuilder("sleep", "60").redirectInput(input.toFile())
                .redirectOutput(output.toFile()).redirectError(Redirect.appendTo(errors.toFile()));
        try (GroupProcess p = b.start()) {
            assertEquals(input.toString(), ProcFs.fdTarget(p.pid(), 0));
            assertEquals(output.toString(), ProcFs.fdTarget(p.pid(), 1));
            assertEquals(errors.toString(), ProcFs.fdTarget(p.pid(), 2));
            assertEquals(-1, p.getInputStream().read());
            assertEquals(-1, p.getErrorStream().read());
        }
    }

    @Test
    void appendAddsToTheEndOfAFile() throws Exception {
        Path log = Files.writeString(tmp.resolve("log.txt"), "first\n");
        GroupProcessBuilder b = new GroupProcessBuilder("echo", "second").redirectOutput(Redirect.appendTo(log.toFile()));
        try (GroupProcess p = b.start()) {
            assertEquals(0, p.waitFor());
        }
        try (GroupProcess p = b.command("echo", "third").start()) {
            assertEquals(0, p.waitFor());
        }
        assertEquals("first\nsecond\nthird\n", Files.readString(log));
    }

    @Test
    void outputFileIsCreatedIfMissing() throws Exception {
        Path output = tmp.resolve("created.txt");
        try (GroupProcess p = new GroupProcessBuilder("echo", "new").redirectOutput(output.toFile()).start()) {
            assertEquals(0, p.waitFor());
        }
        assertEquals("new\n", Files.readString(output));
    }

    @Test
    void redirectErrorStreamMergesStderrIntoStdout() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c", "echo out; echo err >&2; echo out2")
                .redirectErrorStream(true);
        try (GroupProcess p = b.start()) {
            assertEquals("out\nerr\nout2\n", Children.text(p.getInputStream()));
            assertEquals(-1, p.getErrorStream().read(), "no separate stderr, as with ProcessBuilder");
            assertEquals(0, p.waitFor());
        }
    }

    @Test
    void redirectErrorStreamFollowsStdoutIntoAFile() throws Exception {
        Path output = tmp.resolve("both.txt");
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c", "echo out; echo err >&2")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        try (GroupProcess p = b.start()) {
            assertEquals(0, p.waitFor());
        }
        assertEquals("out\nerr\n", Files.readString(output));
    }

    @Test
    void redirectsOfTheWrongDirectionAreRejectedLikeProcessBuilder() {
        GroupProcessBuilder b = new GroupProcessBuilder("true");
        assertThrows(IllegalArgumentException.class, () -> b.redirectInput(Redirect.DISCARD));
        assertThrows(IllegalArgumentException.class, () -> b.redirectOutput(Redirect.from(tmp.toFile())));
        assertThrows(IllegalArgumentException.class, () -> b.redirectError(Redirect.from(tmp.toFile())));
    }
}
