package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.bindings.linux.siginfo_t;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Notices when children exit and reaps them, with one thread for all of them.
 *
 * <p>Each child's pidfd is registered with one epoll instance; a pidfd becomes readable when
 * its process has exited, and the watcher thread then reaps that pid alone. Where pidfds are
 * unavailable (Linux before 5.3, glibc before 2.36, or pidfd_open failing with EMFILE), a
 * child gets a thread of its own that blocks in waitid(P_PID, WNOWAIT) and then reaps it:
 * correct, but a thread per child, as the JDK does.
 *
 * <p>The watcher thread leaves native code whenever it can, because HotSpot's exit waits (up to
 * 300 ms) for every thread that is in native code: with nothing to watch, it stays in epoll_wait
 * for at most {@link #LINGER_MILLIS} more (so that a loop of spawns does not park and wake it
 * each time) and then parks in Java until {@link #watch} or {@link #watchFd} unparks it; and at
 * JVM exit (a shutdown hook, {@link #jvmExiting}) it is woken out of epoll_wait and from then on
 * only polls (epoll_wait with no timeout), parking in Java between polls, so it still reaps for
 * the shutdown hooks (procgroup's own ends trees there) without holding up the exit.
 * A thread in epoll_wait is woken by registering a pipe whose write end is closed (see {@link #wake}),
 * which needs no call shape beyond those already linked.
 */
final class ExitWatcher {
    private static final int MAX_EVENTS = 64;
    /** How long the watcher stays in epoll_wait with nothing to watch before it parks. */
    static final int LINGER_MILLIS = 100;
    /** At JVM exit: the pause between two polls while something is watched. */
    private static final long EXITING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static volatile ExitWatcher instance;

    private final int epollFd;
    private final Map<Integer, Watched> byPidfd = new ConcurrentHashMap<>();
    private volatile boolean broken; // set once epoll_wait failed for good: every child then waits on its own thread
    // Other fds on the same epoll (a cgroup's cgroup.events, see CgroupTree): run on each event.
    private final Map<Integer, OtherFd> otherFds = new ConcurrentHashMap<>();
    // Read ends of the pipes registered by wake(), closed by the watcher when it sees one.
    private final Set<Integer> wakeFds = ConcurrentHashMap.newKeySet();
    private volatile Thread thread; // the watcher thread, once started
    // Set by the watcher just before it looks whether to park, cleared once it left epoll_wait: with
    // it, the exit hook knows whether to wake it.
    private volatile boolean maybeInEpollWait;
    private volatile boolean jvmExiting;
    // Set by the watcher before it enters epoll_wait without a timeout, and checked by a thread that
    // removed something after its removal: one of the two sees the other, so the watcher is never
    // left there idle (see wakeIfLeftIdle).
    private volatile boolean waitingUnbounded;

    /** What to do for a fd given to {@link #watchFd}. */
    interface OtherFd {
        /** At each event, on the watcher thread: quick, and it must not throw. */
        void ready();

        /** Once, if the watcher gives up its epoll: watch the fd some other way from now on. */
        void watcherBroken();
    }

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
            // Anonymous classes, not method references: the first spawn runs this, and a method
            // reference's first call spins a class (see "Code that runs cold" in package-info).
            try {
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("procgroup-exit-watcher-exit").unstarted(
                        new Runnable() {
                            @Override
                            public void run() {
                                watcher.jvmExiting();
                            }
                        }));
            } catch (IllegalStateException shutdownInProgress) {
                watcher.jvmExiting = true; // the first spawn came from a shutdown hook: poll from the start
            }
            watcher.thread = Thread.ofPlatform().daemon().name("procgroup-exit-watcher").start(new Runnable() {
                @Override
                public void run() {
                    watcher.loop();
                }
            });
        }
        return watcher;
    }

    /** @return how many children the watcher holds by their pidfds now (tests: none is kept after its reap) */
    static int watchedForTests() {
        ExitWatcher w = instance;
        return w == null ? 0 : w.byPidfd.size();
    }

    /** @return the watcher thread, or null if it was never started (tests look at its state) */
    static Thread threadForTests() {
        ExitWatcher w = instance;
        return w == null ? null : w.thread;
    }

    /** Starts watching a child; it is reaped and its exit future completed when it exits. */
    void watch(Watched process) {
        int pidfd = process.pidfd();
        if (pidfd >= 0 && epollFd >= 0 && !broken) {
            byPidfd.put(pidfd, process); // before epoll_ctl, so the event cannot arrive first
            try (Arena arena = Arena.ofConfined()) {
                // One-shot: one event disables the registration, so the pidfd needs no EPOLL_CTL_DEL
                // before tryReap closes it (a disabled registration reports nothing, even if the number
                // is reused before the kernel drops it).
                MemorySegment event = LinuxArch.epollEvent(LibC.EPOLLIN() | LibC.EPOLLONESHOT(), pidfd, arena);
                if (Posix.epollCtl(epollFd, LibC.EPOLL_CTL_ADD(), pidfd, event) == 0) {
                    LockSupport.unpark(thread); // it may be parked with nothing to watch
                    return;
                }
            }
            byPidfd.remove(pidfd);
        }
        waitOnOwnThread(process);
    }

    /**
     * Watches one more fd with the same epoll; {@code fd.ready()} runs on the watcher thread at
     * each event. Unregister with {@link #unwatchFd} before closing the fd.
     *
     * @param events the epoll events (EPOLLPRI | EPOLLET for a cgroup file)
     * @return false if the watcher has no epoll (or gave it up) or epoll refused the fd: watch it some other way
     */
    boolean watchFd(int fd, int events, OtherFd watch) {
        if (epollFd < 0 || broken) {
            return false;
        }
        otherFds.put(fd, watch); // before epoll_ctl, so the event cannot arrive first
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = LinuxArch.epollEvent(events, fd, arena); // this architecture's layout
            if (Posix.epollCtl(epollFd, LibC.EPOLL_CTL_ADD(), fd, event) == 0) {
                LockSupport.unpark(thread); // it may be parked with nothing to watch
                return true;
            }
        }
        otherFds.remove(fd);
        return false;
    }

    /**
     * Takes a child from the watcher because the calling thread waits for it and reaps it itself
     * (see {@link LinuxProcess#awaitExitHere}); that thread gives it back with {@link #watch}
     * unless it reaped it. The registration is deleted here, so the watcher is not woken by its
     * exit and its map never keeps a number the reap closes.
     *
     * <p>An event that epoll_wait returned just before the deletion is then handled with no child
     * in the map for it: ignored, as the taker polls the same pidfd and sees the exit too.
     *
     * @return true if the watcher had it and now leaves it to the caller; false if it had not (no
     *         pidfd, a wait thread of its own, another thread took it, or the watcher has it in hand)
     */
    boolean forget(int pidfd, Watched process) {
        if (!byPidfd.remove(pidfd, process)) {
            return false;
        }
        Posix.epollCtl(epollFd, LibC.EPOLL_CTL_DEL(), pidfd, MemorySegment.NULL);
        wakeIfLeftIdle();
        return true;
    }

    /** Stops watching an fd given to {@link #watchFd}; call before closing it, so a reused number cannot alias it. */
    void unwatchFd(int fd) {
        if (otherFds.remove(fd) != null) {
            Posix.epollCtl(epollFd, LibC.EPOLL_CTL_DEL(), fd, MemorySegment.NULL);
            wakeIfLeftIdle();
        }
    }

    /**
     * After a removal: if it left nothing to watch while the watcher is in an epoll_wait without a
     * timeout, wakes it, as it must not stay in native code (see the class comment). An epoll_wait
     * with a timeout is the linger, which ends by itself.
     */
    private void wakeIfLeftIdle() {
        if (waitingUnbounded && isIdle()) {
            wake();
        }
    }

    /**
     * Called once, by a shutdown hook: from now on the watcher does not wait in native code (see
     * the class comment), and it is woken if it may be in epoll_wait now.
     */
    void jvmExiting() {
        jvmExiting = true;
        if (maybeInEpollWait) {
            wake();
        }
    }

    private boolean isIdle() {
        return byPidfd.isEmpty() && otherFds.isEmpty();
    }

    /**
     * Makes the watcher's epoll_wait return: the read end of a pipe whose write end is closed is
     * always readable, and registering a ready fd wakes a thread waiting on the epoll. If the pipe
     * cannot be made (pipe2: EMFILE or ENFILE, no fd left) or registered (epoll_ctl: ENOMEM, or
     * ENOSPC at the user's max_user_watches), the watcher is not woken: it then leaves epoll_wait
     * at its next event, or, at exit, HotSpot stops waiting for it after its own timeout. Nothing
     * is lost either way but time.
     */
    private void wake() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
            if (Posix.pipe2(ends, LibC.O_CLOEXEC()) < 0) {
                return;
            }
            int readEnd = ends.getAtIndex(ValueLayout.JAVA_INT, 0);
            Posix.close(ends.getAtIndex(ValueLayout.JAVA_INT, 1));
            wakeFds.add(readEnd); // before epoll_ctl, so the event cannot arrive first
            // One-shot, as the pidfds: the watcher closes it at its one event, with no EPOLL_CTL_DEL.
            MemorySegment event = LinuxArch.epollEvent(LibC.EPOLLIN() | LibC.EPOLLONESHOT(), readEnd, arena);
            if (Posix.epollCtl(epollFd, LibC.EPOLL_CTL_ADD(), readEnd, event) != 0) {
                wakeFds.remove(readEnd);
                Posix.close(readEnd);
            }
        }
    }

    /**
     * The watcher thread. It never ends silently: an error while handling one child fails that
     * child's wait (see {@link Watched#failed}) and the loop goes on; an epoll_wait error other
     * than EINTR (which cannot heal: EBADF, EINVAL, EFAULT) hands every pending child to a thread
     * of its own, which reaps it without epoll, and every other fd to its owner's own way of
     * watching it, reports the cause on stderr and ends the loop.
     */
    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = LinuxArch.allocateEpollEvents(MAX_EVENTS, arena);
            boolean lingered = false; // the last epoll_wait was a whole linger with nothing to watch
            while (true) {
                maybeInEpollWait = true; // before looking: see jvmExiting
                boolean exiting = jvmExiting;
                boolean idle = isIdle();
                if (idle && (lingered || exiting)) {
                    maybeInEpollWait = false;
                    lingered = false;
                    LockSupport.park(this); // unparked by watch or watchFd; a spurious return just loops
                    continue;
                }
                int timeout = exiting ? 0 : idle ? LINGER_MILLIS : -1;
                if (timeout == -1) {
                    waitingUnbounded = true; // before looking again: see wakeIfLeftIdle
                    if (isIdle()) {
                        waitingUnbounded = false;
                        continue; // a child was taken meanwhile: linger, do not wait unbounded
                    }
                }
                int ready = Posix.epollWait(epollFd, events, MAX_EVENTS, timeout);
                waitingUnbounded = false;
                maybeInEpollWait = false;
                if (ready == -LibC.EINTR()) {
                    continue; // a signal for the JVM landed on this thread
                }
                if (ready < 0) {
                    giveUp(Errno.exception("procgroup's exit watcher: epoll_wait failed", -ready).getMessage());
                    return;
                }
                for (int i = 0; i < ready; i++) {
                    handle(LinuxArch.epollEventFd(LinuxArch.epollEventAt(events, i)));
                }
                lingered = ready == 0 && timeout == LINGER_MILLIS;
                if (exiting && ready == 0 && !isIdle()) {
                    LockSupport.parkNanos(this, EXITING_POLL_NANOS); // in Java, not in epoll_wait
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
            if (wakeFds.remove(pidfd)) {
                Posix.close(pidfd); // a wake-up (see wake): it has done its work by ending epoll_wait
                return;
            }
            OtherFd other = otherFds.get(pidfd);
            if (other != null) {
                other.ready();
            }
            return;
        }
        try {
            // No EPOLL_CTL_DEL before tryReap closes the pidfd: the registration is one-shot (see watch).
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
        for (Integer fd : List.copyOf(otherFds.keySet())) {
            OtherFd other = otherFds.remove(fd);
            if (other != null) {
                other.watcherBroken();
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
