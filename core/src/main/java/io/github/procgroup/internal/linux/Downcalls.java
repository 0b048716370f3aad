package io.github.procgroup.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The downcall shapes procgroup calls C through, each linked on first use and shared by every
 * function of that shape, and the C library's symbols, looked up without linking anything.
 *
 * <p>Linking is what a downcall costs at start-up (FFM spins and loads a stub for each distinct
 * shape), not the call. jextract's holder classes link one handle per function when they are
 * initialised, which {@code LibC.xxx$address()} and {@code xxx$descriptor()} do too; so procgroup
 * calls a function as a symbol address (from {@link #symbol}) passed to an address-less handle of
 * its shape, held by one small holder class per shape below. A shape is linked when its holder is
 * first initialised, by the first call of any function of that shape: nothing is linked for a
 * function never called. Every shape captures errno (an extra capture-state argument after the
 * address), also for the posix_spawn helpers that return their error: one shape per signature,
 * not two, at the cost of storing errno after each call.
 *
 * <p>Shape names read return type, then arguments: {@code I} int, {@code L} long (C long and
 * size_t: LP64), {@code S} short, {@code P} pointer.
 */
final class Downcalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout I = ValueLayout.JAVA_INT;
    private static final ValueLayout L = ValueLayout.JAVA_LONG;
    private static final ValueLayout S = ValueLayout.JAVA_SHORT;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    /** Each thread's errno capture segment: a call's errno is read before the thread makes another call. */
    private static final ThreadLocal<MemorySegment> CALL_STATE = new ThreadLocal<>() {
        @Override
        protected MemorySegment initialValue() {
            return Arena.ofAuto().allocate(CAPTURE_LAYOUT); // freed with its thread, by the GC
        }
    };

    private Downcalls() {
    }

    /** @return the address of {@code name} in the C library (or the JVM's other loaded libraries), or {@link MemorySegment#NULL} */
    static MemorySegment symbol(String name) {
        Optional<MemorySegment> found = LINKER.defaultLookup().find(name);
        return found.isPresent() ? found.get() : MemorySegment.NULL;
    }

    /**
     * @return the address of {@code name}, which every C library procgroup supports has
     * @throws UnsatisfiedLinkError if it is missing
     */
    static MemorySegment required(String name) {
        MemorySegment address = symbol(name);
        if (address.equals(MemorySegment.NULL)) {
            throw new UnsatisfiedLinkError("the C library has no " + name);
        }
        return address;
    }

    /** @return whether {@code symbol}, from {@link #symbol}, was found */
    static boolean exists(MemorySegment symbol) {
        return !symbol.equals(MemorySegment.NULL);
    }

    /** @return the calling thread's capture segment */
    static MemorySegment callState() {
        return CALL_STATE.get();
    }

    /** @return {@code result}, or -errno (from {@code state}) if it is -1 */
    static int orErrno(int result, MemorySegment state) {
        return result == -1 ? -errno(state) : result;
    }

    /** @return {@code result}, or -errno (from {@code state}) if it is -1 */
    static long orErrno(long result, MemorySegment state) {
        return result == -1 ? -errno(state) : result;
    }

    /** @return the errno the last call with {@code state} captured */
    static int errno(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /** @return the error for a downcall that threw, which none does unless procgroup passed it a bad argument */
    static AssertionError failed(Throwable t) {
        return new AssertionError("downcall failed", t);
    }

    private static MethodHandle link(ValueLayout result, ValueLayout... arguments) {
        return LINKER.downcallHandle(FunctionDescriptor.of(result, arguments), CAPTURE_ERRNO);
    }

    // One holder per shape: initialised, so linked, on the first call of a function of that shape.

    /** int f(int): close, epoll_create1, isatty, tcgetpgrp. */
    static final class IntI {
        static final MethodHandle H = link(I, I);
    }

    /** int f(int, int): kill, killpg, pidfd_open, tcsetpgrp. */
    static final class IntII {
        static final MethodHandle H = link(I, I, I);
    }

    /** int f(int, int, void *, int): waitid, pidfd_send_signal. */
    static final class IntIIPI {
        static final MethodHandle H = link(I, I, I, P, I);
    }

    /** int f(int, int, int, void *): epoll_ctl. */
    static final class IntIIIP {
        static final MethodHandle H = link(I, I, I, I, P);
    }

    /** int f(int, void *, int, int): epoll_wait. */
    static final class IntIPII {
        static final MethodHandle H = link(I, I, P, I, I);
    }

    /** int f(int, void *, int, void *): wait4. */
    static final class IntIPIP {
        static final MethodHandle H = link(I, I, P, I, P);
    }

    /** int f(void *): posix_spawn_file_actions_init/destroy, posix_spawnattr_init, sigemptyset. */
    static final class IntP {
        static final MethodHandle H = link(I, P);
    }

    /** int f(void *, int): pipe2, posix_spawn_file_actions_addclosefrom_np/addclose, posix_spawnattr_setpgroup. */
    static final class IntPI {
        static final MethodHandle H = link(I, P, I);
    }

    /** int f(void *, int, int): open (its mode passed as a fixed argument), posix_spawn_file_actions_adddup2. */
    static final class IntPII {
        static final MethodHandle H = link(I, P, I, I);
    }

    /** int f(void *, void *): posix_spawnattr_setsigdefault/setsigmask, posix_spawn_file_actions_addchdir_np. */
    static final class IntPP {
        static final MethodHandle H = link(I, P, P);
    }

    /** int f(void *, short): posix_spawnattr_setflags. */
    static final class IntPS {
        static final MethodHandle H = link(I, P, S);
    }

    /** int f(void *, unsigned long, int): poll. */
    static final class IntPLI {
        static final MethodHandle H = link(I, P, L, I);
    }

    /** int f(void *, void *, void *, void *, void *, void *): posix_spawn. */
    static final class IntPPPPPP {
        static final MethodHandle H = link(I, P, P, P, P, P, P);
    }

    /** long f(int, void *, size_t): read, write. */
    static final class LongIPL {
        static final MethodHandle H = link(L, I, P, L);
    }

    /** char *f(int): strerror, strerrorname_np. */
    static final class PtrI {
        static final MethodHandle H = link(P, I);
    }

    /** int prctl(int option, ...) with one unsigned long: variadic, so a shape of its own. */
    static final class Prctl {
        static final MethodHandle H = LINKER.downcallHandle(FunctionDescriptor.of(I, I, L),
                Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    }
}
