package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets a virtual thread wait until a pipe fd can be read or written without pinning its carrier.
 *
 * <p>A platform thread simply blocks in read(2) or write(2), as the JDK's own streams do: it is its
 * own carrier. A virtual thread must not block in native code (a raw FFM read would pin its
 * carrier, and 200 such readers would stall every other virtual thread), so the pipe streams
 * first ask {@link #ready} (a poll(2) that does not wait) and, if the fd is not ready, park the
 * virtual thread in {@link #await}: it registers the fd with one shared epoll instance, and the
 * poller thread unparks it when the fd is ready. This is what the JDK does for virtual threads
 * on sockets and pipes of its own.
 *
 * <p>Every wait is bounded by {@link #RECHECK_MILLIS} and may return early: callers loop, and
 * between rounds look at whether their stream was closed or ended meanwhile.
 */
final class FdWaiter {
    /** How often a parked reader or writer looks again at its stream's state. */
    static final int RECHECK_MILLIS = 500;

    private FdWaiter() {
    }

    /**
     * @return whether {@code fd} can be read (data, or end of file) or written now, without waiting
     * @throws IOException naming the errno if poll fails for a reason other than EINTR
     */
    static boolean ready(int fd, boolean forWrite) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entry = PollFds.allocate(arena, 1);
            PollFds.set(entry, 0, fd, forWrite ? LibC.POLLOUT() : LibC.POLLIN());
            int r = Posix.poll(entry, 1, 0);
            if (r < 0 && r != -LibC.EINTR()) {
                throw Errno.exception("cannot poll pipe fd " + fd, -r);
            }
            return r > 0; // POLLHUP and POLLERR count: the read or write then reports it at once
        }
    }

    /**
     * @return whether the pipe read end {@code fd} is at its end now: empty, with no writer left
     *         (POLLHUP without POLLIN: a read would return 0); false if poll fails
     */
    static boolean atEndOfPipe(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entry = PollFds.allocate(arena, 1);
            PollFds.set(entry, 0, fd, LibC.POLLIN());
            if (Posix.poll(entry, 1, 0) <= 0) {
                return false; // not ready (a writer is left), or an error the caller's read then reports
            }
            short revents = PollFds.revents(entry, 0);
            return (revents & LibC.POLLHUP()) != 0 && (revents & LibC.POLLIN()) == 0;
        }
    }

    /**
     * Parks the calling virtual thread until {@code fd} is ready or {@link #RECHECK_MILLIS} have passed.
     *
     * @throws IOException naming the errno if epoll fails
     */
    static void await(int fd, boolean forWrite) throws IOException {
        VirtualPoller.INSTANCE.await(fd, forWrite);
    }

    /** Wakes {@code waiter} if it is parked in {@link #await}. */
    static void wake(Thread waiter) {
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * One epoll instance and one daemon thread that unparks the virtual threads waiting on fds.
     *
     * <p>With no waiter the thread parks in Java, and while there are waiters its epoll_wait is
     * bounded by {@link #NATIVE_WAIT_MILLIS}: HotSpot's exit waits (up to 300 ms) for threads in
     * native code, so a poller left in an endless epoll_wait would hold up the exit of every JVM
     * that once read a pipe from a virtual thread.
     */
    private static final class VirtualPoller {
        static final VirtualPoller INSTANCE = new VirtualPoller();
        private static final int MAX_EVENTS = 64;
        private static final int NATIVE_WAIT_MILLIS = 100;

        private final int epollFd;
        private final Map<Integer, Thread> waiters = new ConcurrentHashMap<>();
        private Thread poller; // set once in the constructor

        private VirtualPoller() {
            epollFd = Posix.epollCreate1(LibC.EPOLL_CLOEXEC());
            if (epollFd >= 0) {
                poller = Thread.ofPlatform().daemon().name("procgroup-pipe-poller").start(this::loop);
            }
        }

        void await(int fd, boolean forWrite) throws IOException {
            if (epollFd < 0) {
                throw Errno.exception("cannot wait for pipe fd " + fd + " on a virtual thread: epoll_create1 failed", -epollFd);
            }
            Thread self = Thread.currentThread();
            waiters.put(fd, self);
            try (Arena arena = Arena.ofConfined()) {
                // One-shot: the registration fires once, so the poller does not spin until the waiter removes it.
                // The layout is this architecture's (packed on x86_64, padded on aarch64): see LinuxArch.
                MemorySegment event = LinuxArch.epollEvent(
                        (forWrite ? LibC.EPOLLOUT() : LibC.EPOLLIN()) | LibC.EPOLLONESHOT(), fd, arena);
                int r = Posix.epollCtl(epollFd, LibC.EPOLL_CTL_ADD(), fd, event);
                if (r < 0) {
                    throw Errno.exception("cannot register pipe fd " + fd + " with epoll", -r);
                }
                LockSupport.unpark(poller); // it may be parked for want of waiters: the registration is seen now
                try {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS));
                } finally {
                    // Removed before the caller can close the fd, so a reused fd number is never mistaken for it.
                    Posix.epollCtl(epollFd, LibC.EPOLL_CTL_DEL(), fd, MemorySegment.NULL);
                }
            } finally {
                waiters.remove(fd, self);
            }
        }

        private void loop() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment events = LinuxArch.allocateEpollEvents(MAX_EVENTS, arena);
                while (true) {
                    if (waiters.isEmpty()) {
                        // A waiter added after this look unparks the thread once its fd is registered,
                        // so the park returns at once (LockSupport keeps the permit).
                        LockSupport.park(this);
                        continue;
                    }
                    int ready = Posix.epollWait(epollFd, events, MAX_EVENTS, NATIVE_WAIT_MILLIS);
                    for (int i = 0; i < ready; i++) { // ready < 0: EINTR, a signal for the JVM landed here
                        int fd = LinuxArch.epollEventFd(LinuxArch.epollEventAt(events, i));
                        wake(waiters.get(fd));
                    }
                }
            }
        }
    }
}
