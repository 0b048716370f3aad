package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.bindings.linux.sigset_t;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A child starts with default signal dispositions and an empty mask, whatever the JVM thread has. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class SignalHygieneTest {
    private static final String NONE = "0000000000000000";
    /** signal(2): not in the bindings, as only this test changes a disposition. */
    private static final MethodHandle SIGNAL = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("signal").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MemorySegment SIG_IGN = MemorySegment.ofAddress(1);

    @Test
    void childHasNoBlockedAndNoIgnoredSignals() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            assertEquals(NONE, ProcFs.statusField(p.pid(), "SigBlk").orElseThrow());
            assertEquals(NONE, ProcFs.statusField(p.pid(), "SigIgn").orElseThrow());
        }
    }

    @Test
    void spawningThreadsMaskAndTheJvmsIgnoredSignalsDoNotReachTheChild() throws Throwable {
        assertFalse(Thread.currentThread().isVirtual(), "the mask belongs to this platform thread");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = sigset_t.allocate(arena);
            LibC.sigemptyset(block);
            LibC.sigaddset(block, LibC.SIGHUP());
            LibC.sigaddset(block, LibC.SIGALRM());
            MemorySegment oldMask = sigset_t.allocate(arena);
            assertEquals(0, LibC.pthread_sigmask(LibC.SIG_BLOCK(), block, oldMask));
            // SIGWINCH's default action is to ignore it, so ignoring it process-wide for a moment is harmless.
            MemorySegment oldWinch = (MemorySegment) SIGNAL.invokeExact(LibC.SIGWINCH(), SIG_IGN);
            try {
                assertNotEquals(NONE, threadStatus("SigBlk"), "precondition: this thread blocks signals");
                assertNotEquals(NONE, ProcFs.statusField(ProcFs.self(), "SigIgn").orElseThrow(),
                        "precondition: the JVM ignores SIGWINCH");

                try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
                    assertEquals(NONE, ProcFs.statusField(p.pid(), "SigBlk").orElseThrow(), "mask reset");
                    assertEquals(NONE, ProcFs.statusField(p.pid(), "SigIgn").orElseThrow(), "dispositions reset");
                }
            } finally {
                MemorySegment restored = (MemorySegment) SIGNAL.invokeExact(LibC.SIGWINCH(), oldWinch);
                assertEquals(0, LibC.pthread_sigmask(LibC.SIG_SETMASK(), oldMask, MemorySegment.NULL));
                assertTrue(restored.address() == 1, "SIGWINCH was ignored until restored");
            }
        }
    }

    private static String threadStatus(String field) throws Exception {
        // /proc/thread-self is the thread that opens it: this one.
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith(field + ":")).findFirst().orElseThrow()
                .substring(field.length() + 1).trim();
    }
}
