package io.github.procgroup.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.Optional;

/**
 * The downcall shapes procgroup calls C through, each linked on first use and shared by every
 * function of its arity, and the C library's symbols, looked up without linking anything.
 *
 * <p>Linking is what a downcall costs at start-up (FFM spins a stub and a chain of method handles
 * for each distinct shape), not the call. jextract's holder classes link one handle per function
 * when they are initialised, which {@code LibC.xxx$address()} and {@code xxx$descriptor()} do too;
 * so procgroup calls a function as a symbol address (from {@link #symbol}) passed to an
 * address-less handle of its shape, held by one small holder class per shape below. A shape is
 * linked when its holder is first initialised, by the first call of any function of that shape:
 * nothing is linked for a function never called.
 *
 * <p><b>One shape per arity.</b> Every function procgroup calls takes integers and pointers only
 * and returns an int, a C long or a pointer. On the LP64 Linux ABIs procgroup runs on (x86_64 System
 * V, AArch64 AAPCS64) each of those travels in one 64-bit integer register, the same register
 * whatever its C type, so all of them are called through shapes whose arguments and result are
 * C longs ({@code long f(long, ...)}), one per number of arguments. A first spawn and wait then
 * links 5 shapes instead of 12. Why each value arrives intact:
 * <ul>
 *   <li>an int (or short) argument passed as a long of the same value has the same low 32 (16)
 *       bits, which is all the callee reads: AAPCS64 leaves the upper bits of a narrower argument
 *       unspecified, and on x86_64 a long of the same value is also the 32-bit extension that
 *       compilers expect of the caller;</li>
 *   <li>a pointer is its address ({@link MemorySegment#address()}, 64 bits on LP64). A raw address
 *       does not keep its segment's memory alive the way a segment argument does, so every caller
 *       that passes one holds the segment until the call has returned
 *       ({@link java.lang.ref.Reference#reachabilityFence});</li>
 *   <li>an int result is the low 32 bits of the long read back: {@link #int1} and the others cast,
 *       since a callee may leave the upper half of the register as it likes.</li>
 * </ul>
 * A variadic function is called through a variadic shape, since on x86_64 the caller of one also
 * sets AL to the number of vector registers used: prctl has one of its own ({@link Prctl}).
 * open(2), variadic only for its mode, which it reads only with O_CREAT or O_TMPFILE, is called
 * with its mode as a fixed argument, as C callers that always pass one do.
 *
 * <p>Every shape captures errno (an extra capture-state argument after the address), also for the
 * posix_spawn helpers that return their error: one shape per arity, not two, at the cost of
 * storing errno after each call. A call's errno is read, on the same thread, before that thread
 * makes another call ({@link #orErrno}).
 */
final class Downcalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

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

    /** @return {@code result} of the calling thread's last call, or -errno if it is -1 */
    static int orErrno(int result) {
        return result == -1 ? -errno() : result;
    }

    /** @return {@code result} of the calling thread's last call, or -errno if it is -1 */
    static long orErrno(long result) {
        return result == -1 ? -errno() : result;
    }

    /** @return the errno that the calling thread's last call captured */
    static int errno() {
        return CALL_STATE.get().get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    /** @return the error for a downcall that threw, which none does unless procgroup passed it a bad argument */
    static AssertionError failed(Throwable t) {
        return new AssertionError("downcall failed", t);
    }

    // The calls, by arity: each returns the function's result as the long it came back in (long1,
    // long3) or as the int in its low half (int1 to int6), and leaves errno in callState().

    /** @return {@code function(a)}'s int result */
    static int int1(MemorySegment function, long a) {
        return (int) long1(function, a);
    }

    /** @return {@code function(a)}'s full-width result (a pointer, say) */
    static long long1(MemorySegment function, long a) {
        try {
            return (long) Call1.H.invokeExact(function, callState(), a);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** @return {@code function(a, b)}'s int result */
    static int int2(MemorySegment function, long a, long b) {
        try {
            return (int) (long) Call2.H.invokeExact(function, callState(), a, b);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** @return {@code function(a, b, c)}'s int result */
    static int int3(MemorySegment function, long a, long b, long c) {
        return (int) long3(function, a, b, c);
    }

    /** @return {@code function(a, b, c)}'s full-width result (an ssize_t, say) */
    static long long3(MemorySegment function, long a, long b, long c) {
        try {
            return (long) Call3.H.invokeExact(function, callState(), a, b, c);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** @return {@code function(a, b, c, d)}'s int result */
    static int int4(MemorySegment function, long a, long b, long c, long d) {
        try {
            return (int) (long) Call4.H.invokeExact(function, callState(), a, b, c, d);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** @return {@code function(a, b, c, d, e, f)}'s int result */
    static int int6(MemorySegment function, long a, long b, long c, long d, long e, long f) {
        try {
            return (int) (long) Call6.H.invokeExact(function, callState(), a, b, c, d, e, f);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    private static MethodHandle link(int arity) {
        ValueLayout[] arguments = new ValueLayout[arity];
        Arrays.fill(arguments, ValueLayout.JAVA_LONG);
        return LINKER.downcallHandle(FunctionDescriptor.of(ValueLayout.JAVA_LONG, arguments), CAPTURE_ERRNO);
    }

    // One holder per shape: initialised, so linked, on the first call of a function of that arity.

    /** close, epoll_create1, isatty, tcgetpgrp; the posix_spawn helpers' init and destroy, sigemptyset; strerror, strerrorname_np. */
    private static final class Call1 {
        static final MethodHandle H = link(1);
    }

    /** kill, killpg, pidfd_open, tcsetpgrp, pipe2; posix_spawnattr_setflags/setpgroup/setsigdefault/setsigmask, posix_spawn_file_actions_addclosefrom_np/addchdir_np. */
    private static final class Call2 {
        static final MethodHandle H = link(2);
    }

    /** read, write, poll, open; posix_spawn_file_actions_adddup2. */
    private static final class Call3 {
        static final MethodHandle H = link(3);
    }

    /** wait4, waitid, epoll_ctl, epoll_wait, pidfd_send_signal. */
    private static final class Call4 {
        static final MethodHandle H = link(4);
    }

    /** posix_spawn. */
    private static final class Call6 {
        static final MethodHandle H = link(6);
    }

    /** int prctl(int option, ...) with one unsigned long: variadic, so a shape of its own. */
    static final class Prctl {
        static final MethodHandle H = LINKER.downcallHandle(FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    }
}
