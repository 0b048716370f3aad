package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.bindings.linux.epoll_data;
import io.github.procgroup.bindings.linux.epoll_event;
import io.github.procgroup.bindings.linux.pollfd;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits until a non-blocking pipe fd can be read or written, in a way that suits the calling thread.
 *
 * <p>A platform thread calls poll(2) on the fd itself: it is its own carrier, so blocking in
 * native code costs nothing else. A virtual thread must not block in native code (it would pin
 * its carrier, as a raw FFM read would), so it registers the fd with one shared epoll instance
 * and parks; the poller thread unparks it when the fd is ready. This is what the JDK's own
 * socket and pipe channels do for virtual threads.
 *
 * <p>Every wait is bounded by {@link #RECHECK_MILLIS} and may return early: callers loop, and
 * between rounds look at whether their stream was closed or ended meanwhile (a poll(2) cannot be
 * woken from another thread without an extra fd per stream, which the JDK does not spend either).
 */
final class FdWaiter {
    /** How often a waiting reader or writer looks again at its stream's state. */
    static final int RECHECK_MILLIS = 500;

    private FdWaiter() {
    }

    /**
     * Waits until {@code fd} is ready or {@link #RECHECK_MILLIS} have passed.
     *
     * @param forWrite wait for POLLOUT instead of POLLIN
     * @throws IOException naming the errno if poll or epoll fails for a reason other than EINTR
     */
    static void await(int fd, boolean forWrite) throws IOException {
        if (Thread.currentThread().isVirtual()) {
            VirtualPoller.INSTANCE.await(fd, forWrite);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entry = pollfd.allocate(arena);
            pollfd.fd(entry, fd);
            pollfd.events(entry, (short) (forWrite ? LibC.POLLOUT() : LibC.POLLIN()));
            int r = Posix.poll(entry, 1, RECHECK_MILLIS);
            if (r < 0 && r != -LibC.EINTR()) {
                throw Errno.exception("cannot poll pipe fd " + fd, -r);
            }
        }
    }

    /** Wakes {@code waiter} if it is a virtual thread parked in {@link #await}; a poll(2) sees the change at its next round. */
    static void wake(Thread waiter) {
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** One epoll instance and one daemon thread that unparks the virtual threads waiting on fds. */
    private static final class VirtualPoller {
        static final VirtualPoller INSTANCE = new VirtualPoller();
        private static final int MAX_EVENTS = 64;

        private final int epollFd;
        private final Map<Integer, Thread> waiters = new ConcurrentHashMap<>();

        private VirtualPoller() {
            epollFd = Posix.epollCreate1(LibC.EPOLL_CLOEXEC());
            if (epollFd >= 0) {
                Thread.ofPlatform().daemon().name("procgroup-pipe-poller").start(this::loop);
            }
        }

        void await(int fd, boolean forWrite) throws IOException {
            if (epollFd < 0) {
                throw Errno.exception("cannot wait for pipe fd " + fd + " on a virtual thread: epoll_create1 failed", -epollFd);
            }
            Thread self = Thread.currentThread();
            waiters.put(fd, self);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment event = epoll_event.allocate(arena);
                // One-shot: the registration fires once, so the poller does not spin until the waiter removes it.
                epoll_event.events(event, (forWrite ? LibC.EPOLLOUT() : LibC.EPOLLIN()) | LibC.EPOLLONESHOT());
                epoll_data.fd(epoll_event.data(event), fd);
                int r = Posix.epollCtl(epollFd, LibC.EPOLL_CTL_ADD(), fd, event);
                if (r < 0) {
                    throw Errno.exception("cannot register pipe fd " + fd + " with epoll", -r);
                }
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
                MemorySegment events = epoll_event.allocateArray(MAX_EVENTS, arena);
                while (true) {
                    int ready = Posix.epollWait(epollFd, events, MAX_EVENTS, -1);
                    for (int i = 0; i < ready; i++) { // ready < 0: EINTR, a signal for the JVM landed here
                        int fd = epoll_data.fd(epoll_event.data(epoll_event.asSlice(events, i)));
                        wake(waiters.get(fd));
                    }
                }
            }
        }
    }
}
