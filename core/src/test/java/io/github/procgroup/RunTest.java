package io.github.procgroup;

import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run(): capture, input, timeout over the whole tree, the output limit, line consumers, checkSuccess. */
@ExtendWith(NoLeftovers.class)
class RunTest {
    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @Test
    @Timeout(60)
    void capturesStdoutStderrAndExitStatus() throws Exception {
        ProcessResult r = new GroupProcessBuilder("sh", "-c", "printf 'out\\nput'; echo err >&2; exit 3").run(GENEROUS);
        assertEquals("out\nput", r.stdout());
        assertEquals("err\n", r.stderr());
        assertArrayEquals("out\nput".getBytes(StandardCharsets.UTF_8), r.stdoutBytes());
        assertEquals(ExitStatus.exited(3), r.exitStatus());
        assertFalse(r.timedOut());
        assertFalse(r.truncated());
        assertFalse(r.isSuccess());
        assertTrue(r.ended().isEmpty(), "nothing was left to end: " + r.ended());
    }

    @Test
    @Timeout(60)
    void theTimeoutEndsAHungTreeAndLeavesNoSurvivor() throws Exception {
        // The README's old example, which read to end of file first and so waited the full 20 s.
        CountDownLatch forked = new CountDownLatch(1);
        ProcessResult r = new GroupProcessBuilder("sh", "-c", "sleep 20 & sleep 20 & echo forked; wait")
                .onStdoutLine(line -> forked.countDown())
                .grace(Duration.ofSeconds(2))
                .run(Duration.ofSeconds(3));
        assertTrue(r.timedOut());
        assertEquals(0, forked.getCount(), "the shell printed its line before the timeout");
        assertEquals(Signal.TERM, r.exitStatus().signal().orElseThrow(), r.toString());
        assertTrue(r.duration().compareTo(Duration.ofSeconds(15)) < 0, "ended at the timeout, not after 20 s: " + r.duration());
        List<ProcessInfo> ended = r.ended();
        assertEquals(3, ended.size(), "the shell and its two sleeps: " + ended);
        assertEquals(2, ended.stream().filter(p -> p.command().startsWith("sleep")).count(), ended.toString());
        for (ProcessInfo p : ended) {
            assertFalse(ProcFs.running(p.pid()), "survivor " + p);
        }
        assertEquals(List.of(), ProcFs.liveMembers(ended.get(0).processGroupId()), "nothing of the group runs");
        assertTrue(ProcFs.childrenOfThisJvm().isEmpty(), "nothing to reap is left");
    }

    @Test
    @Timeout(60)
    void aTreeThatIgnoresSigtermGetsTheGraceThenSigkill() throws Exception {
        // SIG_IGN survives fork and exec: the sleep ignores SIGTERM too; only SIGKILL ends them.
        ProcessResult r = new GroupProcessBuilder("sh", "-c", "trap '' TERM; echo ready; sleep 30; echo unreachable")
                .grace(Duration.ofSeconds(1))
                .run(Duration.ofMillis(1500));
        assertTrue(r.timedOut());
        assertEquals(Signal.KILL, r.exitStatus().signal().orElseThrow(), r.toString());
        assertTrue(r.duration().compareTo(Duration.ofMillis(2500)) >= 0, "the timeout, then the whole grace: " + r.duration());
        assertEquals("ready\n", r.stdout());
        for (ProcessInfo p : r.ended()) {
            assertFalse(ProcFs.running(p.pid()), "survivor " + p);
        }
    }

    @Test
    @Timeout(120)
    void sixtyFourMegabytesOnEachStreamInterleavedArriveComplete() throws Exception {
        int size = 64 << 20;
        ProcessResult r = new GroupProcessBuilder("sh", "-c",
                "yes abcdefg | head -c " + size + " & yes ABCDEFG | head -c " + size + " >&2; wait")
                .outputLimit(size)
                .run(Duration.ofSeconds(100));
        assertFalse(r.timedOut(), "a pipe left unread would stall the child until the timeout");
        assertEquals(ExitStatus.exited(0), r.exitStatus());
        assertFalse(r.truncated());
        assertArrayEquals(pattern("abcdefg\n", size), r.stdoutBytes());
        assertArrayEquals(pattern("ABCDEFG\n", size), r.stderrBytes());
    }

    private static byte[] pattern(String unit, int size) {
        byte[] b = new byte[size];
        byte[] u = unit.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            b[i] = u[i % u.length];
        }
        return b;
    }

    @Test
    @Timeout(60)
    void theLimitTruncatesCountsTheRestAndTheChildStillFinishes() throws Exception {
        ProcessResult r = new GroupProcessBuilder("sh", "-c",
                "head -c 10485760 /dev/zero; head -c 3000000 /dev/zero >&2; echo finished >&2")
                .outputLimit(1 << 20)
                .run(GENEROUS);
        assertFalse(r.timedOut());
        assertEquals(ExitStatus.exited(0), r.exitStatus(), "the child wrote everything and exited");
        assertTrue(r.truncated());
        assertEquals(1 << 20, r.stdoutBytes().length);
        assertEquals(10485760 - (1 << 20), r.droppedStdoutBytes());
        assertEquals(1 << 20, r.stderrBytes().length);
        assertEquals(3000000 + "finished\n".length() - (1 << 20), r.droppedStderrBytes());
    }

    @Test
    @Timeout(60)
    void aZeroLimitKeepsNothingButLinesStillStream() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ProcessResult r = new GroupProcessBuilder("sh", "-c", "printf 'a\\r\\nb\\n\\nlast'")
                .outputLimit(0).onStdoutLine(lines::add).run(GENEROUS);
        assertEquals("", r.stdout());
        assertEquals(List.of("a", "b", "", "last"), lines);
        assertEquals(10, r.droppedStdoutBytes());
    }

    @Test
    @Timeout(60)
    void linesGoToConsumersAndToASystemLogger() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        new GroupProcessBuilder("sh", "-c", "echo o1; echo e1 >&2; echo o2; echo e2 >&2")
                .onStdoutLine(out::add).onStderrLine(err::add).run(GENEROUS).checkSuccess();
        assertEquals(List.of("o1", "o2"), out);
        assertEquals(List.of("e1", "e2"), err);

        RecordingLogger logger = new RecordingLogger();
        new GroupProcessBuilder("sh", "-c", "echo o1; echo e1 >&2")
                .logOutput(logger, System.Logger.Level.INFO).run(GENEROUS).checkSuccess();
        // Two threads log, one per stream: their order is not defined.
        assertEquals(java.util.Set.of("INFO o1", "INFO e1"), java.util.Set.copyOf(logger.records));
        new GroupProcessBuilder("sh", "-c", "echo warn >&2")
                .onStderrLine(GroupProcessBuilder.toLogger(logger, System.Logger.Level.WARNING)).run(GENEROUS);
        assertTrue(logger.records.contains("WARNING warn"), logger.records.toString());
    }

    /** A System.Logger that keeps "LEVEL message" of everything logged. */
    static final class RecordingLogger implements System.Logger {
        final List<String> records = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            records.add(level.getName() + " " + msg);
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            records.add(level.getName() + " " + java.text.MessageFormat.format(format, params));
        }
    }

    @Test
    @Timeout(60)
    void aThrowingConsumerFailsTheRunButTheChildIsDrainedAndFinishes() throws Exception {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                new GroupProcessBuilder("sh", "-c", "echo first; head -c 1000000 /dev/zero; echo done >&2")
                        .onStdoutLine(line -> {
                            throw new IllegalStateException("consumer broke on " + line);
                        })
                        .run(GENEROUS));
        assertEquals("consumer broke on first", thrown.getMessage());

        // Lines that arrive in the same read as the failing one, and a last line without its
        // newline, are not handed to the consumer after it failed: its first failure is the one reported.
        IllegalStateException sameRead = assertThrows(IllegalStateException.class, () ->
                new GroupProcessBuilder("printf", "first\\nsecond\\nlast")
                        .onStdoutLine(line -> {
                            throw new IllegalStateException("consumer broke on " + line);
                        })
                        .run(GENEROUS));
        assertEquals("consumer broke on first", sameRead.getMessage());
    }

    @Test
    @Timeout(60)
    void inputAsTextBytesAndFile(@TempDir Path dir) throws Exception {
        assertEquals("héllo", new GroupProcessBuilder("cat").input("héllo").run(GENEROUS).stdout());
        assertEquals("latin", new GroupProcessBuilder("cat").input("latin", StandardCharsets.ISO_8859_1)
                .charset(StandardCharsets.ISO_8859_1).run(GENEROUS).stdout());
        byte[] big = pattern("0123456789abcdef", 8 << 20); // larger than a pipe: fed while the output is read
        assertArrayEquals(big, new GroupProcessBuilder("cat").input(big).outputLimit(big.length).run(GENEROUS).stdoutBytes());
        Path file = Files.writeString(dir.resolve("in.txt"), "from a file\n");
        assertEquals("from a file\n", new GroupProcessBuilder("cat").input(file).run(GENEROUS).stdout());
        assertEquals("", new GroupProcessBuilder("cat").run(GENEROUS).stdout(), "no input: stdin is at end of file");
        // A child that does not read its input is not an error.
        assertEquals(ExitStatus.exited(0), new GroupProcessBuilder("true").input(big).run(GENEROUS).exitStatus());
    }

    @Test
    @Timeout(60)
    void processesLeftRunningByAnExitedChildAreEnded() throws Exception {
        ProcessResult r = new GroupProcessBuilder("sh", "-c", "sleep 30 & echo bye").grace(Duration.ZERO).run(GENEROUS);
        assertEquals("bye\n", r.stdout());
        assertFalse(r.timedOut());
        assertEquals(ExitStatus.exited(0), r.exitStatus());
        assertEquals(1, r.ended().size(), r.ended().toString());
        // The snapshot may catch the forked shell before it has exec'd sleep (its command line is the
        // shell's then), or in the middle of the exec, when /proc shows no command line and the
        // listing names it by its comm in brackets: "[sh]" before the kernel renames the task,
        // "[sleep]" after it and before the new command line is in place. Either way it is the one
        // background process.
        String command = r.ended().get(0).command();
        assertTrue(command.contains("sleep 30") || command.equals("[sh]") || command.equals("[sleep]"),
                r.ended().toString());
        assertFalse(ProcFs.running(r.ended().get(0).pid()));
    }

    @Test
    @Timeout(60)
    void checkSuccessNamesCommandStatusAndTheTailOfStderr() throws Exception {
        ProcessResult ok = new GroupProcessBuilder("true").run(GENEROUS);
        assertSame(ok, ok.checkSuccess());

        ProcessResult failed = new GroupProcessBuilder("sh", "-c", "for i in $(seq 1 30); do echo line$i >&2; done; exit 7")
                .run(GENEROUS);
        ProcessFailedException e = assertThrows(ProcessFailedException.class, failed::checkSuccess);
        assertSame(failed, e.result());
        String m = e.getMessage();
        assertTrue(m.startsWith("command \"sh -c for i in"), m);
        assertTrue(m.contains("failed: exit 7"), m);
        assertTrue(m.contains("line21") && m.endsWith("line30"), "the last 10 lines: " + m);
        assertFalse(m.contains("line20"), "only the last 10 lines: " + m);

        ProcessResult timedOut = new GroupProcessBuilder("sleep", "30").run(Duration.ofMillis(300));
        String t = assertThrows(ProcessFailedException.class, timedOut::checkSuccess).getMessage();
        assertTrue(t.startsWith("command \"sleep 30\" timed out after "), t);
        assertTrue(t.contains("killed by SIGTERM") && t.endsWith("stderr was empty"), t);
    }

    @Test
    @Timeout(60)
    void badInputIsRefusedBeforeAnythingStarts() {
        GroupProcessBuilder b = new GroupProcessBuilder("true");
        assertEquals("timeout must be more than 0: PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.run(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.run(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.runAsync(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> b.run(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.outputLimit(-1)).getMessage().contains("-1"));
        assertThrows(IllegalArgumentException.class, () -> b.grace(Duration.ofSeconds(-1)));
        assertEquals("onStdoutLine consumer is null",
                assertThrows(NullPointerException.class, () -> b.onStdoutLine(null)).getMessage());
        assertThrows(NullPointerException.class, () -> b.onStderrLine(null));
        assertThrows(IllegalStateException.class, () -> new GroupProcessBuilder("cat").input("x").start());
        assertThrows(IllegalStateException.class, () -> new GroupProcessBuilder("cat").input("x")
                .redirectInput(ProcessBuilder.Redirect.INHERIT).run(GENEROUS));
        assertTrue(ProcFs.childrenOfThisJvm().isEmpty());
    }

    @Test
    @Timeout(60)
    void aMissingProgramThrowsTheSameErrnoExceptionAsStart() {
        int fdsBefore = ProcFs.openFdCount();
        ErrnoException run = assertThrows(ErrnoException.class,
                () -> new GroupProcessBuilder("procgroup-no-such-program").input("x").run(GENEROUS));
        ErrnoException start = assertThrows(ErrnoException.class,
                () -> new GroupProcessBuilder("procgroup-no-such-program").start());
        assertEquals(start.getMessage(), run.getMessage());
        assertEquals("ENOENT", run.errnoName());
        assertThrows(ErrnoException.class, () -> new GroupProcessBuilder("procgroup-no-such-program").runAsync());
        assertEquals(fdsBefore, ProcFs.openFdCount(), "no fd left open");
        assertTrue(ProcFs.childrenOfThisJvm().isEmpty());
    }
}
