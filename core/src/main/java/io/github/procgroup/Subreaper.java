package io.github.procgroup;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Makes this JVM a child subreaper ({@code prctl(PR_SET_CHILD_SUBREAPER)}, Linux 3.4+): a
 * descendant whose parent dies is re-parented to this JVM instead of to init, so it can still be
 * found, ended and reaped.
 *
 * <p>Minimal version written for the {@code procgroup} command (issue 7) against the API of
 * issue 4; the issue-4 class replaces it.
 */
public final class Subreaper {
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    // prctl is variadic: int prctl(int option, ...); PR_SET/GET_CHILD_SUBREAPER take one unsigned long.
    private static final MethodHandle PRCTL = Linker.nativeLinker().downcallHandle(
            LibC.prctl.address(),
            FunctionDescriptor.of(LibC.C_INT, LibC.C_INT, LibC.C_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private Subreaper() {
    }

    /**
     * Turns this JVM into a child subreaper. The setting stays for the JVM's lifetime.
     *
     * @throws ErrnoException if the kernel refuses (EINVAL: a kernel before 3.4)
     */
    public static void enable() throws ErrnoException {
        int errno = prctl(LibC.PR_SET_CHILD_SUBREAPER(), 1);
        if (errno != 0) {
            throw Errno.exception("cannot become a child subreaper (prctl PR_SET_CHILD_SUBREAPER)", errno);
        }
    }

    /** @return whether this JVM is a child subreaper */
    public static boolean isEnabled() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flag = arena.allocate(ValueLayout.JAVA_INT);
            return prctl(LibC.PR_GET_CHILD_SUBREAPER(), flag.address()) == 0 && flag.get(ValueLayout.JAVA_INT, 0) != 0;
        }
    }

    /** @return 0, or the errno of the failed call */
    private static int prctl(int option, long argument) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int result = (int) PRCTL.invokeExact(state, option, argument);
            return result == -1 ? state.get(ValueLayout.JAVA_INT,
                    CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"))) : 0;
        } catch (Throwable t) {
            throw new AssertionError("prctl downcall failed", t);
        }
    }
}
