package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The system calls procgroup makes that report failure through {@code errno}.
 *
 * <p>Each one is a downcall built from the generated {@code xxx$address()} and
 * {@code xxx$descriptor()} with {@link Linker.Option#captureCallState}, because errno read
 * after the call returned could already be overwritten by the JVM. Every method returns the
 * call's result when it succeeds and {@code -errno} when it fails, so that expected failures
 * (ESRCH, EINTR) cost no exception.
 */
public final class Posix {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
            CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle KILL = capturing(LibC.kill$address(), LibC.kill$descriptor());
    private static final MethodHandle KILLPG = capturing(LibC.killpg$address(), LibC.killpg$descriptor());
    private static final MethodHandle CLOSE = capturing(LibC.close$address(), LibC.close$descriptor());
    private static final MethodHandle PIPE2 = capturing(LibC.pipe2$address(), LibC.pipe2$descriptor());
    private static final MethodHandle OPEN = capturing(LibC.open.address(),
            FunctionDescriptor.of(LibC.C_INT, LibC.C_POINTER, LibC.C_INT, LibC.C_INT));
    private static final MethodHandle WAIT4 = capturing(LibC.wait4$address(), LibC.wait4$descriptor());
    private static final MethodHandle WAITID = capturing(LibC.waitid$address(), LibC.waitid$descriptor());
    private static final MethodHandle EPOLL_CREATE1 =
            capturing(LibC.epoll_create1$address(), LibC.epoll_create1$descriptor());
    private static final MethodHandle EPOLL_CTL = capturing(LibC.epoll_ctl$address(), LibC.epoll_ctl$descriptor());
    private static final MethodHandle EPOLL_WAIT = capturing(LibC.epoll_wait$address(), LibC.epoll_wait$descriptor());
    // prctl is variadic (int prctl(int option, ...)); every option procgroup uses takes one unsigned long.
    private static final MethodHandle PRCTL = LINKER.downcallHandle(LibC.prctl.address(),
            FunctionDescriptor.of(LibC.C_INT, LibC.C_INT, LibC.C_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private static final MethodHandle READ = capturing(LibC.read$address(), LibC.read$descriptor());
    private static final MethodHandle WRITE = capturing(LibC.write$address(), LibC.write$descriptor());
    private static final MethodHandle POLL = capturing(LibC.poll$address(), LibC.poll$descriptor());
    private static final MethodHandle ISATTY = capturing(LibC.isatty$address(), LibC.isatty$descriptor());
    private static final MethodHandle TCGETPGRP = capturing(LibC.tcgetpgrp$address(), LibC.tcgetpgrp$descriptor());
    private static final MethodHandle TCSETPGRP = capturing(LibC.tcsetpgrp$address(), LibC.tcsetpgrp$descriptor());

    /** pidfd_open and pidfd_send_signal are glibc 2.36+ (and Linux 5.3+): probed, never required. */
    static final boolean HAS_PIDFD_SYMBOLS = LINKER.defaultLookup().find("pidfd_open").isPresent()
            && LINKER.defaultLookup().find("pidfd_send_signal").isPresent();
    private static final MethodHandle PIDFD_OPEN = HAS_PIDFD_SYMBOLS
            ? capturing(LibC.pidfd_open$address(), LibC.pidfd_open$descriptor()) : null;
    private static final MethodHandle PIDFD_SEND_SIGNAL = HAS_PIDFD_SYMBOLS
            ? capturing(LibC.pidfd_send_signal$address(), LibC.pidfd_send_signal$descriptor()) : null;

    private Posix() {
    }

    private static MethodHandle capturing(MemorySegment address, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(address, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** One downcall that returns -1 and sets errno on failure; {@code state} is its capture segment. */
    @FunctionalInterface
    private interface ErrnoCall {
        int invoke(MemorySegment state) throws Throwable;
    }

    private static int withErrno(ErrnoCall call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int result = call.invoke(state);
            return result == -1 ? -state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET) : result;
        } catch (Throwable t) {
            throw new AssertionError("downcall failed", t);
        }
    }

    /** @return a segment for the errno of calls made by one thread at a time, such as {@link #read} */
    public static MemorySegment newCallState() {
        return Arena.ofAuto().allocate(CAPTURE_LAYOUT);
    }

    /**
     * read(2) into {@code buffer}, a native segment; it blocks if the fd is blocking and empty.
     *
     * @param state from {@link #newCallState()}, used by one thread at a time (the pipe streams' hot path
     *              allocates nothing per call)
     * @return the bytes read, 0 at end of file, or -errno
     */
    public static long read(int fd, MemorySegment buffer, MemorySegment state) {
        try {
            long r = (long) READ.invokeExact(state, fd, buffer, buffer.byteSize());
            return r == -1 ? -state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET) : r;
        } catch (Throwable t) {
            throw new AssertionError("downcall failed", t);
        }
    }

    /**
     * write(2) from {@code buffer}, a native segment; it blocks while a blocking pipe is full.
     *
     * @param state from {@link #newCallState()}, used by one thread at a time
     * @return the bytes written, or -errno (-EPIPE: no reader left)
     */
    public static long write(int fd, MemorySegment buffer, MemorySegment state) {
        try {
            long r = (long) WRITE.invokeExact(state, fd, buffer, buffer.byteSize());
            return r == -1 ? -state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET) : r;
        } catch (Throwable t) {
            throw new AssertionError("downcall failed", t);
        }
    }

    /** poll(2). @return the number of ready fds, 0 on timeout, or -errno */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        return withErrno(s -> (int) POLL.invokeExact(s, fds, count, timeoutMillis));
    }

    /** isatty(3). @return 1 if {@code fd} is a terminal, else -errno (-ENOTTY, -EBADF) */
    public static int isatty(int fd) {
        int r = withErrno(s -> (int) ISATTY.invokeExact(s, fd));
        return r == 0 ? -LibC.EINVAL() : r; // isatty returns 0 (not -1) and sets errno on failure
    }

    /** tcgetpgrp(3). @return the terminal's foreground process group, or -errno */
    public static int tcgetpgrp(int fd) {
        return withErrno(s -> (int) TCGETPGRP.invokeExact(s, fd));
    }

    /** tcsetpgrp(3). @return 0, or -errno */
    public static int tcsetpgrp(int fd, int pgrp) {
        return withErrno(s -> (int) TCSETPGRP.invokeExact(s, fd, pgrp));
    }

    /** kill(2). @return 0, or -errno */
    public static int kill(int pid, int signal) {
        return withErrno(s -> (int) KILL.invokeExact(s, pid, signal));
    }

    /** killpg(3). @return 0, or -errno */
    public static int killpg(int pgid, int signal) {
        return withErrno(s -> (int) KILLPG.invokeExact(s, pgid, signal));
    }

    /** close(2). EINTR is not retried: on Linux the fd is released even then. @return 0, or -errno */
    public static int close(int fd) {
        return withErrno(s -> (int) CLOSE.invokeExact(s, fd));
    }

    /** pipe2(2) into {@code fds} (two ints: read end, write end). @return 0, or -errno */
    public static int pipe2(MemorySegment fds, int flags) {
        return withErrno(s -> (int) PIPE2.invokeExact(s, fds, flags));
    }

    /** open(2) with a mode (the variadic argument passed as an int). @return the fd, or -errno */
    public static int open(MemorySegment path, int flags, int mode) {
        return withErrno(s -> (int) OPEN.invokeExact(s, path, flags, mode));
    }

    /** wait4(2) on one pid. @return the pid reaped, 0 under WNOHANG if it still runs, or -errno */
    public static int wait4(int pid, MemorySegment status, int options, MemorySegment rusage) {
        return withErrno(s -> (int) WAIT4.invokeExact(s, pid, status, options, rusage));
    }

    /** waitid(2). @return 0, or -errno */
    public static int waitid(int idType, int id, MemorySegment siginfo, int options) {
        return withErrno(s -> (int) WAITID.invokeExact(s, idType, id, siginfo, options));
    }

    /** epoll_create1(2). @return the fd, or -errno */
    public static int epollCreate1(int flags) {
        return withErrno(s -> (int) EPOLL_CREATE1.invokeExact(s, flags));
    }

    /** epoll_ctl(2). @return 0, or -errno */
    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        return withErrno(s -> (int) EPOLL_CTL.invokeExact(s, epfd, op, fd, event));
    }

    /** epoll_wait(2). @return the number of ready events, or -errno */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        return withErrno(s -> (int) EPOLL_WAIT.invokeExact(s, epfd, events, maxEvents, timeoutMillis));
    }

    /** pidfd_open(2). @return the pidfd, or -errno (-ENOSYS where glibc or the kernel lacks it) */
    public static int pidfdOpen(int pid, int flags) {
        if (PIDFD_OPEN == null) {
            return -LibC.ENOSYS();
        }
        return withErrno(s -> (int) PIDFD_OPEN.invokeExact(s, pid, flags));
    }

    /** pidfd_send_signal(2) with no siginfo. @return 0, or -errno */
    public static int pidfdSendSignal(int pidfd, int signal) {
        if (PIDFD_SEND_SIGNAL == null) {
            return -LibC.ENOSYS();
        }
        return withErrno(s -> (int) PIDFD_SEND_SIGNAL.invokeExact(s, pidfd, signal, MemorySegment.NULL, 0));
    }

    /** prctl(2) with one argument. @return the result (0 for the set options), or -errno */
    public static int prctl(int option, long argument) {
        return withErrno(s -> (int) PRCTL.invokeExact(s, option, argument));
    }
}
