package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.MemorySegment;

/**
 * The system calls procgroup makes that report failure through {@code errno}.
 *
 * <p>Each one is a call through {@link Downcalls}: a symbol address and a shared, lazily linked
 * shape that captures errno with {@code Linker.Option.captureCallState}, because errno read after
 * the call returned could already be overwritten by the JVM. The capture segment is the calling
 * thread's own ({@link Downcalls#callState()}), read right after the call: no allocation per call.
 * Every method returns the call's result when it succeeds and {@code -errno} when it fails, so
 * that expected failures (ESRCH, EINTR) cost no exception.
 */
public final class Posix {
    // Addresses only: looking a symbol up links nothing (see Downcalls).
    private static final MemorySegment KILL = Downcalls.required("kill");
    private static final MemorySegment KILLPG = Downcalls.required("killpg");
    private static final MemorySegment CLOSE = Downcalls.required("close");
    private static final MemorySegment PIPE2 = Downcalls.required("pipe2");
    private static final MemorySegment OPEN = Downcalls.required("open");
    private static final MemorySegment WAIT4 = Downcalls.required("wait4");
    private static final MemorySegment WAITID = Downcalls.required("waitid");
    private static final MemorySegment EPOLL_CREATE1 = Downcalls.required("epoll_create1");
    private static final MemorySegment EPOLL_CTL = Downcalls.required("epoll_ctl");
    private static final MemorySegment EPOLL_WAIT = Downcalls.required("epoll_wait");
    private static final MemorySegment PRCTL = Downcalls.required("prctl");
    private static final MemorySegment READ = Downcalls.required("read");
    private static final MemorySegment WRITE = Downcalls.required("write");
    private static final MemorySegment POLL = Downcalls.required("poll");
    private static final MemorySegment ISATTY = Downcalls.required("isatty");
    private static final MemorySegment TCGETPGRP = Downcalls.required("tcgetpgrp");
    private static final MemorySegment TCSETPGRP = Downcalls.required("tcsetpgrp");
    /** pidfd_open and pidfd_send_signal are glibc 2.36+ (and Linux 5.3+): probed, never required. */
    private static final MemorySegment PIDFD_OPEN = Downcalls.symbol("pidfd_open");
    private static final MemorySegment PIDFD_SEND_SIGNAL = Downcalls.symbol("pidfd_send_signal");
    static final boolean HAS_PIDFD_SYMBOLS = Downcalls.exists(PIDFD_OPEN) && Downcalls.exists(PIDFD_SEND_SIGNAL);

    private Posix() {
    }

    /**
     * read(2) into {@code buffer}, a native segment; it blocks if the fd is blocking and empty.
     *
     * @return the bytes read, 0 at end of file, or -errno
     */
    public static long read(int fd, MemorySegment buffer) {
        MemorySegment state = Downcalls.callState();
        try {
            return Downcalls.orErrno((long) Downcalls.LongIPL.H.invokeExact(READ, state, fd, buffer, buffer.byteSize()),
                    state);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /**
     * write(2) from {@code buffer}, a native segment; it blocks while a blocking pipe is full.
     *
     * @return the bytes written, or -errno (-EPIPE: no reader left)
     */
    public static long write(int fd, MemorySegment buffer) {
        MemorySegment state = Downcalls.callState();
        try {
            return Downcalls.orErrno((long) Downcalls.LongIPL.H.invokeExact(WRITE, state, fd, buffer, buffer.byteSize()),
                    state);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** poll(2). @return the number of ready fds, 0 on timeout, or -errno */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.IntPLI.H.invokeExact(POLL, s, fds, count, timeoutMillis), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** isatty(3). @return 1 if {@code fd} is a terminal, else -errno (-ENOTTY, -EBADF) */
    public static int isatty(int fd) {
        MemorySegment s = Downcalls.callState();
        try {
            int r = (int) Downcalls.IntI.H.invokeExact(ISATTY, s, fd);
            return r == 0 ? -Downcalls.errno(s) : r; // isatty returns 0 (not -1) and sets errno on failure
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** tcgetpgrp(3). @return the terminal's foreground process group, or -errno */
    public static int tcgetpgrp(int fd) {
        return intOfInt(TCGETPGRP, fd);
    }

    /** tcsetpgrp(3). @return 0, or -errno */
    public static int tcsetpgrp(int fd, int pgrp) {
        return intOfIntInt(TCSETPGRP, fd, pgrp);
    }

    /** kill(2). @return 0, or -errno */
    public static int kill(int pid, int signal) {
        return intOfIntInt(KILL, pid, signal);
    }

    /** killpg(3). @return 0, or -errno */
    public static int killpg(int pgid, int signal) {
        return intOfIntInt(KILLPG, pgid, signal);
    }

    /** close(2). EINTR is not retried: on Linux the fd is released even then. @return 0, or -errno */
    public static int close(int fd) {
        return intOfInt(CLOSE, fd);
    }

    /** pipe2(2) into {@code fds} (two ints: read end, write end). @return 0, or -errno */
    public static int pipe2(MemorySegment fds, int flags) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.IntPI.H.invokeExact(PIPE2, s, fds, flags), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /**
     * open(2) with a mode. open is variadic; the mode is passed as a fixed int argument, which the
     * x86_64 and aarch64 Linux calling conventions pass exactly as a variadic one.
     *
     * @return the fd, or -errno
     */
    public static int open(MemorySegment path, int flags, int mode) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.IntPII.H.invokeExact(OPEN, s, path, flags, mode), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** wait4(2) on one pid. @return the pid reaped, 0 under WNOHANG if it still runs, or -errno */
    public static int wait4(int pid, MemorySegment status, int options, MemorySegment rusage) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.IntIPIP.H.invokeExact(WAIT4, s, pid, status, options, rusage), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** waitid(2). @return 0, or -errno */
    public static int waitid(int idType, int id, MemorySegment siginfo, int options) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.IntIIPI.H.invokeExact(WAITID, s, idType, id, siginfo, options), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** epoll_create1(2). @return the fd, or -errno */
    public static int epollCreate1(int flags) {
        return intOfInt(EPOLL_CREATE1, flags);
    }

    /** epoll_ctl(2). @return 0, or -errno */
    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.IntIIIP.H.invokeExact(EPOLL_CTL, s, epfd, op, fd, event), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** epoll_wait(2). @return the number of ready events, or -errno */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno(
                    (int) Downcalls.IntIPII.H.invokeExact(EPOLL_WAIT, s, epfd, events, maxEvents, timeoutMillis), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** pidfd_open(2). @return the pidfd, or -errno (-ENOSYS where glibc or the kernel lacks it) */
    public static int pidfdOpen(int pid, int flags) {
        if (!HAS_PIDFD_SYMBOLS) {
            return -LibC.ENOSYS();
        }
        return intOfIntInt(PIDFD_OPEN, pid, flags);
    }

    /** pidfd_send_signal(2) with no siginfo. @return 0, or -errno */
    public static int pidfdSendSignal(int pidfd, int signal) {
        if (!HAS_PIDFD_SYMBOLS) {
            return -LibC.ENOSYS();
        }
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno(
                    (int) Downcalls.IntIIPI.H.invokeExact(PIDFD_SEND_SIGNAL, s, pidfd, signal, MemorySegment.NULL, 0), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    /** prctl(2) with one argument. @return the result (0 for the set options), or -errno */
    public static int prctl(int option, long argument) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.Prctl.H.invokeExact(PRCTL, s, option, argument), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    private static int intOfInt(MemorySegment function, int a) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.IntI.H.invokeExact(function, s, a), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }

    private static int intOfIntInt(MemorySegment function, int a, int b) {
        MemorySegment s = Downcalls.callState();
        try {
            return Downcalls.orErrno((int) Downcalls.IntII.H.invokeExact(function, s, a, b), s);
        } catch (Throwable t) {
            throw Downcalls.failed(t);
        }
    }
}
