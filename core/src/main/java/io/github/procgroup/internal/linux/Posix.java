package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

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
    private static final MemorySegment GETPGID = Downcalls.required("getpgid");
    private static final MemorySegment GETPID = Downcalls.required("getpid");
    private static final MemorySegment GETPGRP = Downcalls.required("getpgrp");
    private static final MemorySegment SIGADDSET = Downcalls.required("sigaddset");
    private static final MemorySegment PTHREAD_SIGMASK = Downcalls.required("pthread_sigmask");
    private static final MemorySegment CLOSE = Downcalls.required("close");
    private static final MemorySegment PIPE2 = Downcalls.required("pipe2");
    private static final MemorySegment OPEN = Downcalls.required("open");
    private static final MemorySegment MKDIR = Downcalls.required("mkdir");
    private static final MemorySegment RMDIR = Downcalls.required("rmdir");
    private static final MemorySegment WAIT4 = Downcalls.required("wait4");
    private static final MemorySegment WAITID = Downcalls.required("waitid");
    private static final MemorySegment EPOLL_CREATE1 = Downcalls.required("epoll_create1");
    private static final MemorySegment EPOLL_CTL = Downcalls.required("epoll_ctl");
    private static final MemorySegment EPOLL_WAIT = Downcalls.required("epoll_wait");
    private static final MemorySegment PRCTL = Downcalls.required("prctl");
    private static final MemorySegment READ = Downcalls.required("read");
    private static final MemorySegment PREAD = Downcalls.required("pread");
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
        try {
            return Downcalls.orErrno(Downcalls.long3(READ, fd, buffer.address(), buffer.byteSize()));
        } finally {
            Reference.reachabilityFence(buffer); // see Downcalls: the address alone keeps nothing alive
        }
    }

    /**
     * pread(2) into {@code buffer}, a native segment, from {@code offset}; the fd's own file
     * position does not move.
     *
     * @return the bytes read, 0 at end of file, or -errno (ESPIPE: a pipe or socket)
     */
    public static long pread(int fd, MemorySegment buffer, long offset) {
        try {
            return Downcalls.orErrno(Downcalls.long4(PREAD, fd, buffer.address(), buffer.byteSize(), offset));
        } finally {
            Reference.reachabilityFence(buffer);
        }
    }

    /**
     * write(2) from {@code buffer}, a native segment; it blocks while a blocking pipe is full.
     *
     * @return the bytes written, or -errno (-EPIPE: no reader left)
     */
    public static long write(int fd, MemorySegment buffer) {
        try {
            return Downcalls.orErrno(Downcalls.long3(WRITE, fd, buffer.address(), buffer.byteSize()));
        } finally {
            Reference.reachabilityFence(buffer);
        }
    }

    /** poll(2). @return the number of ready fds, 0 on timeout, or -errno */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        try {
            return Downcalls.orErrno(Downcalls.int3(POLL, fds.address(), count, timeoutMillis));
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    /** isatty(3). @return 1 if {@code fd} is a terminal, else -errno (-ENOTTY, -EBADF) */
    public static int isatty(int fd) {
        int r = Downcalls.int1(ISATTY, fd);
        return r == 0 ? -Downcalls.errno() : r; // isatty returns 0 (not -1) and sets errno on failure
    }

    /** tcgetpgrp(3). @return the terminal's foreground process group, or -errno */
    public static int tcgetpgrp(int fd) {
        return Downcalls.orErrno(Downcalls.int1(TCGETPGRP, fd));
    }

    /** tcsetpgrp(3). @return 0, or -errno */
    public static int tcsetpgrp(int fd, int pgrp) {
        return Downcalls.orErrno(Downcalls.int2(TCSETPGRP, fd, pgrp));
    }

    /** kill(2). @return 0, or -errno */
    public static int kill(int pid, int signal) {
        return Downcalls.orErrno(Downcalls.int2(KILL, pid, signal));
    }

    /** killpg(3). @return 0, or -errno */
    public static int killpg(int pgid, int signal) {
        return Downcalls.orErrno(Downcalls.int2(KILLPG, pgid, signal));
    }

    /**
     * getpgid(2): the process group of any process, a zombie's too (it keeps its group until it
     * is reaped).
     *
     * @return the process group id, or -errno (ESRCH: no such process)
     */
    public static int getpgid(int pid) {
        return Downcalls.orErrno(Downcalls.int1(GETPGID, pid));
    }

    /**
     * getpid(2), which cannot fail: this process's pid in its own pid namespace, the namespace of
     * every pid procgroup reads from /proc. It takes no argument; the zero passed is never read
     * (see {@link Downcalls}).
     */
    public static int getpid() {
        return Downcalls.int1(GETPID, 0);
    }

    /** getpgrp(2), which cannot fail: this process's group. Its zero argument is never read (see {@link Downcalls}). */
    public static int getpgrp() {
        return Downcalls.int1(GETPGRP, 0);
    }

    /** sigaddset(3) on a {@code sigset_t} ({@link SpawnCalls#allocateSignalSet}). @return 0, or -errno (EINVAL) */
    public static int sigaddset(MemorySegment set, int signal) {
        try {
            return Downcalls.orErrno(Downcalls.int2(SIGADDSET, set.address(), signal));
        } finally {
            Reference.reachabilityFence(set);
        }
    }

    /**
     * pthread_sigmask(3): the calling thread's signal mask. {@code old} may be
     * {@link MemorySegment#NULL}.
     *
     * @return 0, or the error number itself (pthread functions return it and leave errno alone)
     */
    public static int pthreadSigmask(int how, MemorySegment set, MemorySegment old) {
        try {
            return Downcalls.int3(PTHREAD_SIGMASK, how, set.address(), old.address());
        } finally {
            Reference.reachabilityFence(set);
            Reference.reachabilityFence(old);
        }
    }

    /** close(2). EINTR is not retried: on Linux the fd is released even then. @return 0, or -errno */
    public static int close(int fd) {
        return Downcalls.orErrno(Downcalls.int1(CLOSE, fd));
    }

    /** pipe2(2) into {@code fds} (two ints: read end, write end). @return 0, or -errno */
    public static int pipe2(MemorySegment fds, int flags) {
        try {
            return Downcalls.orErrno(Downcalls.int2(PIPE2, fds.address(), flags));
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    /**
     * open(2) with a mode. open is variadic; the mode is passed as a fixed int argument, which the
     * x86_64 and aarch64 Linux calling conventions pass exactly as a variadic one.
     *
     * @return the fd, or -errno
     */
    public static int open(MemorySegment path, int flags, int mode) {
        try {
            return Downcalls.orErrno(Downcalls.int3(OPEN, path.address(), flags, mode));
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    /** mkdir(2) of {@code path}, a NUL-terminated native string. @return 0, or -errno */
    public static int mkdir(MemorySegment path, int mode) {
        try {
            return Downcalls.orErrno(Downcalls.int2(MKDIR, path.address(), mode));
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    /** rmdir(2) of {@code path}, a NUL-terminated native string. @return 0, or -errno (EBUSY, ENOENT...) */
    public static int rmdir(MemorySegment path) {
        try {
            return Downcalls.orErrno(Downcalls.int1(RMDIR, path.address()));
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    /** wait4(2) on one pid. @return the pid reaped, 0 under WNOHANG if it still runs, or -errno */
    public static int wait4(int pid, MemorySegment status, int options, MemorySegment rusage) {
        try {
            return Downcalls.orErrno(Downcalls.int4(WAIT4, pid, status.address(), options, rusage.address()));
        } finally {
            Reference.reachabilityFence(status);
            Reference.reachabilityFence(rusage);
        }
    }

    /** waitid(2). @return 0, or -errno */
    public static int waitid(int idType, int id, MemorySegment siginfo, int options) {
        try {
            return Downcalls.orErrno(Downcalls.int4(WAITID, idType, id, siginfo.address(), options));
        } finally {
            Reference.reachabilityFence(siginfo);
        }
    }

    /** epoll_create1(2). @return the fd, or -errno */
    public static int epollCreate1(int flags) {
        return Downcalls.orErrno(Downcalls.int1(EPOLL_CREATE1, flags));
    }

    /** epoll_ctl(2). @return 0, or -errno */
    public static int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        try {
            return Downcalls.orErrno(Downcalls.int4(EPOLL_CTL, epfd, op, fd, event.address()));
        } finally {
            Reference.reachabilityFence(event);
        }
    }

    /** epoll_wait(2). @return the number of ready events, or -errno */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return Downcalls.orErrno(Downcalls.int4(EPOLL_WAIT, epfd, events.address(), maxEvents, timeoutMillis));
        } finally {
            Reference.reachabilityFence(events);
        }
    }

    /** pidfd_open(2). @return the pidfd, or -errno (-ENOSYS where glibc or the kernel lacks it) */
    public static int pidfdOpen(int pid, int flags) {
        if (!HAS_PIDFD_SYMBOLS) {
            return -LibC.ENOSYS();
        }
        return Downcalls.orErrno(Downcalls.int2(PIDFD_OPEN, pid, flags));
    }

    /** pidfd_send_signal(2) with no siginfo. @return 0, or -errno */
    public static int pidfdSendSignal(int pidfd, int signal) {
        if (!HAS_PIDFD_SYMBOLS) {
            return -LibC.ENOSYS();
        }
        return Downcalls.orErrno(Downcalls.int4(PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0)); // no siginfo, no flags
    }

    /** prctl(2) with one argument. @return the result (0 for the set options), or -errno */
    public static int prctl(int option, long argument) {
        return Downcalls.orErrno(Downcalls.int2(PRCTL, option, argument));
    }
}
