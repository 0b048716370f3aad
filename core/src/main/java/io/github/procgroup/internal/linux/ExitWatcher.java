package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.bindings.linux.epoll_data;
import io.github.procgroup.bindings.linux.epoll_event;
import io.github.procgroup.bindings.linux.siginfo_t;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notices when children exit and reaps them, with one thread for all of them.
 *
 * <p>Each child's pidfd is registered with one epoll instance; a pidfd becomes readable when
 * its process has exited, and the watcher thread then reaps that pid alone. Where pidfds are
 * unavailable (Linux before 5.3, glibc before 2.36, or pidfd_open failing with EMFILE), a
 * child gets a thread of its own that blocks in waitid(P_PID, WNOWAIT) and then reaps it:
 * correct, but a thread per child, as the JDK does.
 */
final class ExitWatcher {
    private static final int MAX_EVENTS = 64;

    private static volatile ExitWatcher instance;

    private final int epollFd;
    private final Map<Integer, Watched> byPidfd = new ConcurrentHashMap<>();
    private volatile boolean broken; // set once epoll_wait failed for good: every child then waits on its own thread

    /** A child of the JVM that procgroup reaps. */
    interface Watched {
        /** @return its pid */
        long pid();

        /** @return its pidfd, or -1 if it has none (it is then waited for on a thread of its own) */
        int pidfd();

        /**
         * Reaps it if it has exited, with wait4 on its own pid (never -1).
         *
         * @return true if it is reaped now or was before
         */
        boolean tryReap();

        /**
         * Told when watching it failed in a way that may leave its exit unreported (an exception
         * while reaping it, a waitid error other than EINTR and ECHILD): a pending wait must then
         * fail with {@code cause}, never hang. No effect once its exit was reported.
         */
        void failed(RuntimeException cause);
    }

    private ExitWatcher(int epollFd) {
        this.epollFd = epollFd;
    }

    /** @return the watcher, started on first use */
    static ExitWatcher instance() {
        ExitWatcher w = instance;
        if (w == null) {
            synchronized (ExitWatcher.class) {
                w = instance;
                if (w == null) {
                    w = start();
                    instance = w;
                }
            }
        }
        return w;
    }

    private static ExitWatcher start() {
        int epollFd = Posix.epollCreate1(LibC.EPOLL_CLOEXEC());
        ExitWatcher watcher = new ExitWatcher(epollFd); // epollFd < 0: every child waits on its own thread
        if (epollFd >= 0) {
            Thread.ofPlatform().daemon().name("procgroup-exit-watcher").start(watcher::loop);
        }
        return watcher;
    }

    /** Starts watching a child; it is reaped and its exit future completed when it exits. */
    void watch(Watched process) {
        int pidfd = process.pidfd();
        if (pidfd >= 0 && epollFd >= 0 && !broken) {
            byPidfd.put(pidfd, process); // before epoll_ctl, so the event cannot arrive first
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment event = epoll_event.allocate(arena);
                epoll_event.events(event, LibC.EPOLLIN());
                epoll_data.fd(epoll_event.data(event), pidfd);
                if (Posix.epollCtl(epollFd, LibC.EPOLL_CTL_ADD(), pidfd, event) == 0) {
                    return;
                }
            }
            byPidfd.remove(pidfd);
        }
        waitOnOwnThread(process);
    }

    /**
     * The watcher thread. It never ends silently: an error while handling one child fails that
     * child's wait (see {@link Watched#failed}) and the loop goes on; an epoll_wait error other
     * than EINTR (which cannot heal: EBADF, EINVAL, EFAULT) hands every pending child to a thread
     * of its own, which reaps it without epoll, reports the cause on stderr and ends the loop.
     */
    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = epoll_event.allocateArray(MAX_EVENTS, arena);
            while (true) {
                int ready = Posix.epollWait(epollFd, events, MAX_EVENTS, -1);
                if (ready == -LibC.EINTR()) {
                    continue; // a signal for the JVM landed on this thread
                }
                if (ready < 0) {
                    giveUp(Errno.exception("procgroup's exit watcher: epoll_wait failed", -ready).getMessage());
                    return;
                }
                for (int i = 0; i < ready; i++) {
                    handle(epoll_data.fd(epoll_event.data(epoll_event.asSlice(events, i))));
                }
            }
        } catch (RuntimeException | Error e) {
            giveUp("procgroup's exit watcher failed: " + e);
            throw e;
        }
    }

    private void handle(int pidfd) {
        Watched process = byPidfd.remove(pidfd);
        if (process == null) {
            return;
        }
        try {
            // Deregister before tryReap closes the pidfd, so a reused fd number cannot alias it.
            Posix.epollCtl(epollFd, LibC.EPOLL_CTL_DEL(), pidfd, MemorySegment.NULL);
            if (!process.tryReap()) {
                // Readable but not reapable: the leader thread exited while other threads of
                // the child live on. Wait for the whole process elsewhere.
                waitOnOwnThread(process);
            }
        } catch (RuntimeException e) {
            process.failed(e);
        }
    }

    private void giveUp(String cause) {
        broken = true;
        System.err.println(cause + "; every child is now waited for on a thread of its own");
        for (Integer pidfd : List.copyOf(byPidfd.keySet())) {
            Watched process = byPidfd.remove(pidfd);
            if (process != null) {
                waitOnOwnThread(process);
            }
        }
    }

    private static void waitOnOwnThread(Watched process) {
        Thread.ofPlatform().daemon().name("procgroup-wait-" + process.pid()).start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment info = siginfo_t.allocate(arena);
                // WNOWAIT: block until it exits without reaping, so tryReap does the one reap under its lock.
                int options = LibC.WEXITED() | LibC.WNOWAIT();
                while (!process.tryReap()) {
                    int r = Posix.waitid(LibC.P_PID(), (int) process.pid(), info, options);
                    // EINTR: wait again. ECHILD: reaped by someone else; the next tryReap reports it.
                    if (r < 0 && r != -LibC.EINTR() && r != -LibC.ECHILD()) {
                        process.failed(new UncheckedIOException(
                                Errno.exception("cannot wait for pid " + process.pid(), -r)));
                        return;
                    }
                }
            } catch (RuntimeException e) {
                process.failed(e);
            }
        });
    }
}
