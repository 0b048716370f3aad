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
 * The downcall shape procgroup calls C through, linked on first use and shared by every function,
 * and the C library's symbols, looked up without linking anything.
 *
 * <p>Linking is what a downcall costs at start-up (FFM spins a stub and a chain of method handles
 * for each distinct shape), not the call. jextract's holder classes link one handle per function
 * when they are initialised, which {@code LibC.xxx$address()} and {@code xxx$descriptor()} do too;
 * so procgroup calls a function as a symbol address (from {@link #symbol}) passed to an
 * address-less handle of the one shape, held by a small holder class ({@code Call} below), linked
 * when the holder is first initialised by the first call: a program that never calls C through
 * procgroup links nothing.
 *
 * <p><b>One shape for every call.</b> Every function procgroup calls takes at most six integers
 * and pointers and returns an int, a C long or a pointer. On the LP64 Linux ABIs procgroup runs on
 * (x86_64 System V, AArch64 AAPCS64) each of those travels in one 64-bit integer register, the
 * same register whatever its C type, and the first six integer arguments all travel in registers
 * (rdi, rsi, rdx, rcx, r8, r9; x0 to x5). So every function is called through one shape,
 * {@code long f(long, long, long, long, long, long)}, with zeros in the arguments it does not
 * take: a first spawn and wait links 1 shape instead of 5 (one per arity) or 12 (one per C
 * signature). Why each value arrives intact:
 * <ul>
 *   <li>a function that takes fewer than six arguments never reads the registers of the others,
 *       which the caller owns (they are caller-saved) and nothing is passed on the stack, so there
 *       is nothing for the callee to clean up or misread. Go's syscall package calls the C library
 *       the same way on Darwin and OpenBSD: through fixed three- and six-register trampolines,
 *       whatever the function's own arity;</li>
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
 *
 * <p><b>Variadic too.</b> The shape is declared variadic after its first argument
 * ({@code long f(long, ...)} with five longs passed), so that prctl, which glibc declares
 * {@code int prctl(int option, ...)}, goes through it as well and a program that lists a tree
 * links no second shape. A variadic call differs from a fixed one only where the caller puts
 * things, and for integer arguments not at all on these ABIs: on x86_64 the caller of a variadic
 * function also sets AL to the number of vector registers it used (0 here), which a fixed-arity
 * callee never reads (rax is a scratch register on entry); AArch64 Linux passes variadic
 * arguments exactly as named ones (only Apple's AArch64 ABI puts them on the stack, and
 * procgroup's Linux backend does not run there). Each long is already of the promoted width
 * that a variadic callee's {@code va_arg(ap, unsigned long)} reads. open(2), variadic only for
 * its mode, which it reads only with O_CREAT or O_TMPFILE, gets its mode as the third argument,
 * as C callers that always pass one do.
 *
 * <p>The shape captures errno (an extra capture-state argument after the address), also for the
 * posix_spawn helpers that return their error: one shape, not two, at the cost of storing errno
 * after each call. A call's errno is read, on the same thread, before that thread
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

    // The calls, by the callee's arity: each passes zeros for the arguments the callee does not
    // take, returns the function's result as the long it came back in (long1, long3, long4) or as the int
    // in its low half (int1 to int6), and leaves errno in callState().

    /** @return {@code function(a)}'s int result */
    static int int1(MemorySegment function, long a) {
        return (int) call(function, a, 0, 0, 0, 0, 0);
    }

    /** @return {@code function(a)}'s full-width result (a pointer, say) */
    static long long1(MemorySegment function, long a) {
        return call(function, a, 0, 0, 0, 0, 0);
    }

    /** @return {@code function(a, b)}'s int result */
    static int int2(MemorySegment function, long a, long b) {
        return (int) call(function, a, b, 0, 0, 0, 0);
    }

    /** @return {@code function(a, b, c)}'s int result */
    static int int3(MemorySegment function, long a, long b, long c) {
        return (int) call(function, a, b, c, 0, 0, 0);
    }

    /** @return {@code function(a, b, c)}'s full-width result (an ssize_t, say) */
    static long long3(MemorySegment function, long a, long b, long c) {
        return call(function, a, b, c, 0, 0, 0);
    }

    /** @return {@code function(a, b, c, d)}'s full-width result (an ssize_t, say) */
    static long long4(MemorySegment function, long a, long b, long c, long d) {
        return call(function, a, b, c, d, 0, 0);
    }

    /** @return {@code function(a, b, c, d)}'s int result */
    static int int4(MemorySegment function, long a, long b, long c, long d) {
        return (int) call(function, a, b, c, d, 0, 0);
    }

    /** @return {@code function(a, b, c, d, e, f)}'s int result */
    static int int6(MemorySegment function, long a, long b, long c, long d, long e, long f) {
        return (int) call(function, a, b, c, d, e, f);
    }

    private static long call(MemorySegment function, long a, long b, long c, long d, long e, long f) {
        try {
            return (long) Call.H.invokeExact(function, callState(), a, b, c, d, e, f);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /**
     * The one shape, {@code long f(long, ...)} with five variadic longs, capturing errno:
     * initialised, so linked, on the first call. Its callers: close, epoll_create1, isatty,
     * tcgetpgrp, strerror, strerrorname_np (one argument); kill, killpg, pidfd_open, tcsetpgrp,
     * pipe2, prctl (two); read, write, poll, open (three); wait4, waitid, epoll_ctl, epoll_wait,
     * pidfd_send_signal, pread (four); posix_spawn (six); and the posix_spawn helpers.
     */
    private static final class Call {
        static final MethodHandle H = LINKER.downcallHandle(FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    }
}
