package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.Posix;
import io.github.procgroup.testing.Children;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A child inherits fds 0-2 and nothing else, whatever the JVM has open. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class FdHygieneTest {
    @TempDir
    Path tmp;

    @Test
    void fdsTheJvmOpenedWithoutCloexecAreNotInherited() throws Exception {
        Path file = Files.writeString(tmp.resolve("open-in-jvm"), "x");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, Posix.pipe2(ends, 0), "a pipe without O_CLOEXEC");
            int fileFd = Posix.open(arena.allocateFrom(file.toString()), LibC.O_RDONLY(), 0);
            assertTrue(fileFd >= 0, "a file opened without O_CLOEXEC");
            List<Integer> leaky = List.of(ends.getAtIndex(ValueLayout.JAVA_INT, 0),
                    ends.getAtIndex(ValueLayout.JAVA_INT, 1), fileFd);
            try {
                for (int fd : leaky) {
                    assertFalse(hasCloexec(fd), "precondition: fd " + fd + " would survive a plain exec");
                }

                String listing = Children.output(new GroupProcessBuilder("ls", "/proc/self/fd"));

                List<Integer> childFds = Arrays.stream(listing.split("\n")).map(Integer::valueOf).sorted().toList();
                for (int fd : leaky) {
                    assertFalse(childFds.contains(fd), "fd " + fd + " leaked into the child: " + childFds);
                }
                assertEquals(List.of(0, 1, 2, 3), childFds, "stdio and the directory ls is listing");
            } finally {
                leaky.forEach(Posix::close);
            }
        }
    }

    @Test
    void sleepingChildHasExactlyStdioWithEveryKindOfRedirect() throws Exception {
        try (GroupProcess piped = new GroupProcessBuilder("sleep", "60").start();
             GroupProcess files = new GroupProcessBuilder("sleep", "60")
                     .redirectInput(Files.writeString(tmp.resolve("in"), "").toFile())
                     .redirectOutput(tmp.resolve("out").toFile())
                     .redirectError(Redirect.DISCARD).start();
             GroupProcess inherited = new GroupProcessBuilder("sleep", "60").inheritIO().start();
             GroupProcess merged = new GroupProcessBuilder("sleep", "60").redirectErrorStream(true).start()) {
            for (GroupProcess p : List.of(piped, files, inherited, merged)) {
                awaitOnlyStdio(p);
            }
            assertEquals(ProcFs.fdTarget(merged.pid(), 1), ProcFs.fdTarget(merged.pid(), 2), "stderr is stdout");
        }
    }

    @Test
    void aChildDoesNotHoldAnotherChildsPipes() throws Exception {
        // If the second child inherited the first one's stdin, cat would never see end of input.
        try (GroupProcess cat = new GroupProcessBuilder("cat").start();
             GroupProcess other = new GroupProcessBuilder("sleep", "60").start()) {
            awaitOnlyStdio(other);
            cat.getOutputStream().close();
            assertTrue(cat.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "cat saw end of input");
            assertEquals(0, cat.exitValue());
            assertTrue(other.isAlive());
        }
    }

    @Test
    void spawningLeavesNoFdBehindInTheJvm() throws Exception {
        Children.warmUp();
        List<Integer> before = ProcFs.openFds();
        for (int i = 0; i < 20; i++) {
            try (GroupProcess p = new GroupProcessBuilder("echo", "x").start()) {
                assertEquals("x\n", Children.text(p.getInputStream()));
                p.waitFor();
            }
        }
        ProcFs.await(() -> before.equals(ProcFs.openFds()), Duration.ofSeconds(5),
                () -> "fds before " + before + ", after " + ProcFs.openFds());
    }

    /**
     * Waits until the child has fds 0-2 only. Not at once: a starting program opens files of its
     * own for a moment (sleep's setlocale reads the locale files); an inherited fd never goes away.
     */
    private static void awaitOnlyStdio(GroupProcess p) {
        ProcFs.await(() -> ProcFs.fdsOf(p.pid()).equals(List.of(0, 1, 2)), Duration.ofSeconds(5),
                () -> p + " has fds " + ProcFs.fdsOf(p.pid()));
    }

    private static boolean hasCloexec(int fd) throws Exception {
        String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        String flags = fdinfo.lines().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
        return (Integer.parseInt(flags.substring(6).trim(), 8) & LibC.O_CLOEXEC()) != 0;
    }
}
