package io.github.procgroup;

import io.github.procgroup.testing.Children;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of bad input fails {@code start()} with a clear exception that names the offending
 * value, and leaves no child and no fd of this JVM behind: an {@link ErrnoException} naming the
 * errno where a system call refused, an {@link IllegalArgumentException} or a plain
 * {@link java.io.IOException} (as the JDK's) where the builder's values alone are wrong.
 */
@ExtendWith(NoLeftovers.class)
class BadInputTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void warmUp() throws Exception {
        Children.warmUp();
    }

    @Test
    void missingProgramOnPath() throws Exception {
        ErrnoException e = failsCleanly(new GroupProcessBuilder("procgroup-no-such-program", "x"),
                "ENOENT", "\"procgroup-no-such-program\"");
        assertEquals(2, e.errno());
    }

    @Test
    void missingAbsoluteProgram() throws Exception {
        failsCleanly(new GroupProcessBuilder("/nonexistent/procgroup-test"), "ENOENT", "\"/nonexistent/procgroup-test\"");
    }

    @Test
    void nonExecutableFileByPath() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-executable"), "echo hi\n");
        failsCleanly(new GroupProcessBuilder(file.toString()), "EACCES", "\"" + file + "\"");
    }

    @Test
    void scriptWhoseInterpreterIsMissing() throws Exception {
        Path script = tmp.resolve("bad-shebang");
        EnvironmentTest.executable(script, "#!/nonexistent/procgroup-interpreter -x\necho hi\n");
        failsCleanly(new GroupProcessBuilder(script.toString()), "ENOENT", "\"" + script + "\"",
                "interpreter \"/nonexistent/procgroup-interpreter\" is missing");
    }

    @Test
    void programThatIsADirectory() throws Exception {
        failsCleanly(new GroupProcessBuilder(tmp.toString()), "EACCES", "\"" + tmp + "\"");
    }

    @Test
    void missingDirectory() throws Exception {
        File dir = tmp.resolve("no-such-dir").toFile();
        failsCleanly(new GroupProcessBuilder("true").directory(dir), "ENOENT", "\"" + dir + "\"");
    }

    @Test
    void directoryThatIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "");
        failsCleanly(new GroupProcessBuilder("true").directory(file), "ENOTDIR", "\"" + file + "\"");
    }

    @Test
    void nulInAnArgument() throws Exception {
        rejectedCleanly(new GroupProcessBuilder("echo", "ok", "bad\0arg"), java.io.IOException.class, "argument 2", "bad\\0arg");
    }

    @Test
    void nulInTheProgram() throws Exception {
        rejectedCleanly(new GroupProcessBuilder("ec\0ho"), java.io.IOException.class, "program", "ec\\0ho");
    }

    @Test
    void nulInAnEnvironmentName() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("true");
        b.environment().put("BAD\0NAME", "v");
        rejectedCleanly(b, IllegalArgumentException.class, "environment name", "BAD\\0NAME");
    }

    @Test
    void nulInAnEnvironmentValue() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("true");
        b.environment().put("PROCGROUP_BAD", "x\0y");
        rejectedCleanly(b, IllegalArgumentException.class, "PROCGROUP_BAD", "x\\0y");
    }

    @Test
    void equalsSignInAnEnvironmentName() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("true");
        b.environment().put("A=B", "v");
        rejectedCleanly(b, IllegalArgumentException.class, "\"A=B\"");
    }

    @Test
    void nullsAreRejectedWithTheirNameLikeProcessBuilder() {
        GroupProcessBuilder b = new GroupProcessBuilder("true");
        b.environment().put("PROCGROUP_NULL", null);
        NullPointerException e = assertThrows(NullPointerException.class, b::start);
        assertTrue(e.getMessage().contains("PROCGROUP_NULL"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new GroupProcessBuilder("echo", null).start());
    }

    @Test
    void emptyCommand() throws Exception {
        rejectedCleanly(new GroupProcessBuilder(List.of()), IllegalArgumentException.class, "empty command");
    }

    @Test
    void missingInputFile() throws Exception {
        File missing = tmp.resolve("no-such-input").toFile();
        failsCleanly(new GroupProcessBuilder("cat").redirectInput(missing), "ENOENT", "\"" + missing + "\"");
    }

    @Test
    void outputFileInAMissingDirectory() throws Exception {
        File out = tmp.resolve("no-such-dir").resolve("out").toFile();
        // stdin is a pipe, opened before stdout's file: the pipe must be closed again too.
        failsCleanly(new GroupProcessBuilder("true").redirectOutput(out), "ENOENT", "\"" + out + "\"");
    }

    @Test
    void builderStaysUsableAfterAFailure() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("procgroup-no-such-program");
        assertThrows(ErrnoException.class, b::start);
        b.command("sh", "-c", "exit 7");
        try (GroupProcess p = b.start()) {
            assertEquals(7, p.waitFor());
        }
    }

    /**
     * Asserts start() rejects the builder's values with exactly {@code type} (not an OS error:
     * nothing was asked of the kernel) naming every fragment, with no fd or child left.
     */
    private static void rejectedCleanly(GroupProcessBuilder builder, Class<? extends Exception> type, String... fragments) {
        List<Integer> fdsBefore = ProcFs.openFds();

        Exception e = assertThrows(Exception.class, builder::start);

        assertEquals(type, e.getClass(), e.toString());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + fragment + "\" missing from: " + e.getMessage());
        }
        assertEquals(fdsBefore, ProcFs.openFds(), "no fd leaked");
        assertEquals(List.of(), ProcFs.childrenOfThisJvm(), "no child left");
    }

    /** Asserts start() fails naming {@code errnoName} and every fragment, with no fd or child left. */
    private static ErrnoException failsCleanly(GroupProcessBuilder builder, String errnoName, String... fragments) {
        List<Integer> fdsBefore = ProcFs.openFds();

        ErrnoException e = assertThrows(ErrnoException.class, builder::start);

        assertEquals(errnoName, e.errnoName(), e.getMessage());
        assertTrue(e.getMessage().contains(errnoName), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "\"" + fragment + "\" missing from: " + e.getMessage());
        }
        assertEquals(fdsBefore, ProcFs.openFds(), "no fd leaked");
        assertEquals(List.of(), ProcFs.childrenOfThisJvm(), "no child left");
        return e;
    }
}
