package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.cgroup.CgroupLeaf;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * The tree of a child in its own leaf cgroup, as {@link LinuxProcess} sees it: the members are
 * exactly the cgroup's, killing is {@code cgroup.kill}, and "empty" is the kernel's
 * {@code populated 0} in cgroup.events, watched with EPOLLPRI on the exit watcher's epoll (no
 * scan, no polling). The leaf is removed as soon as the leader is reaped and the cgroup is empty,
 * by whichever comes last: the exit watcher's event, the leader's reap, or a caller of
 * {@link #isOver}.
 */
final class CgroupTree {
    private final CgroupLeaf leaf;
    private final boolean killOnJvmExit;
    private final CompletableFuture<Void> emptied = new CompletableFuture<>();
    private int eventsFd; // guarded by this; -1 once closed
    private boolean leaderReaped; // guarded by this
    private boolean removed; // guarded by this
    private volatile Round lastRound; // the members the last signal went to; null before the first

    /**
     * The members one signal went to ({@code cgroup.kill}, or one signal each).
     *
     * @param pids     as {@code cgroup.procs} listed them just before the signal
     * @param listedAt the {@link System#nanoTime()} before that read
     */
    record Round(List<Long> pids, long listedAt) {
    }

    private CgroupTree(CgroupLeaf leaf, int eventsFd, boolean killOnJvmExit) {
        this.leaf = leaf;
        this.eventsFd = eventsFd;
        this.killOnJvmExit = killOnJvmExit;
    }

    /**
     * Starts watching {@code leaf}, which the child is already in.
     *
     * @param killOnJvmExit whether a normal JVM exit kills the tree; its leaf is then removed too
     */
    static CgroupTree watch(CgroupLeaf leaf, boolean killOnJvmExit) throws ErrnoException {
        int fd = leaf.openEvents(); // opened before the first check: a change after this open is an event
        if (fd < 0) {
            throw Errno.exception("cannot open " + leaf.eventsFile(), -fd);
        }
        CgroupTree tree = new CgroupTree(leaf, fd, killOnJvmExit);
        CgroupExitCleanup.add(tree);
        ExitWatcher.OtherFd watch = new ExitWatcher.OtherFd() {
            @Override
            public void ready() {
                tree.onEvent();
            }

            @Override
            public void watcherBroken() {
                tree.waitOnOwnThread(fd);
                tree.onEvent(); // an event may have been missed while the watcher failed
            }
        };
        if (!ExitWatcher.instance().watchFd(fd, LibC.EPOLLPRI() | LibC.EPOLLET(), watch)) {
            tree.waitOnOwnThread(fd);
        }
        tree.onEvent(); // the tree may have emptied before the registration
        return tree;
    }

    /** The watcher has no epoll: a thread blocks in poll(POLLPRI) on the fd instead (one wake per change). */
    private void waitOnOwnThread(int fd) {
        Thread.ofPlatform().daemon().name("procgroup-cgroup-" + leaf.dir().getFileName()).start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment poll = PollFds.allocate(arena, 1);
                PollFds.set(poll, 0, fd, LibC.POLLPRI());
                while (!emptied.isDone()) {
                    Posix.poll(poll, 1, -1); // EINTR or an event: look again
                    onEvent();
                }
            }
        });
    }

    /** On each change of cgroup.events: if the cgroup is empty, stop watching and end. */
    private void onEvent() {
        try {
            if (!emptied.isDone() && !leaf.populated()) {
                closeEvents();
                boolean reaped;
                synchronized (this) {
                    reaped = leaderReaped;
                }
                isOver(reaped); // remove the leaf before waking the waiters, so it is gone when they return
                emptied.complete(null);
            }
        } catch (RuntimeException e) {
            emptied.completeExceptionally(e); // on the watcher thread: never let it die
        }
    }

    private synchronized void closeEvents() {
        if (eventsFd >= 0) {
            ExitWatcher.instance().unwatchFd(eventsFd);
            Posix.close(eventsFd);
            eventsFd = -1;
        }
    }

    /** @return the leaf */
    CgroupLeaf leaf() {
        return leaf;
    }

    /** @return completed once the kernel said the cgroup is empty */
    Optional<CompletableFuture<Void>> emptied() {
        return Optional.of(emptied);
    }

    /**
     * @param reaped whether the leader is reaped
     * @return whether the tree is over: the leader reaped and no live process in the cgroup; the
     *         leaf is removed then
     */
    boolean isOver(boolean reaped) {
        boolean over = removeIfOver(reaped);
        if (over) {
            // The leader's reap may see the cgroup empty before the kernel's notification of
            // cgroup.events has reached the watcher (kernfs delivers it from a work queue), and the
            // removal closed the events fd: the waiters learn of the end here then. Completed
            // outside the lock, as their actions run in this thread.
            emptied.complete(null);
        }
        return over;
    }

    private synchronized boolean removeIfOver(boolean reaped) {
        leaderReaped |= reaped;
        if (removed) {
            return true;
        }
        if (!leaderReaped || leaf.populated()) {
            return false;
        }
        // rmdir succeeds once no live process is left (zombies do not count); EBUSY means one
        // was moved in from outside meanwhile: the tree is then not over.
        removed = leaf.remove();
        if (removed) {
            closeEvents();
            CgroupExitCleanup.remove(this);
        }
        return removed;
    }

    /** Forgets a tree whose start failed: its child is killed and reaped, and the leaf is removed by the caller. */
    void discard() {
        closeEvents();
        CgroupExitCleanup.remove(this);
    }

    /** @return whether a normal JVM exit kills this tree */
    boolean killOnJvmExit() {
        return killOnJvmExit;
    }

    /** @return whether a live process is in the cgroup */
    boolean populated() {
        return !removed() && leaf.populated();
    }

    private synchronized boolean removed() {
        return removed;
    }

    /**
     * @return the members the last signal went to, null before the first: what a waiter for the
     *         end can wait on (the end itself is decided from cgroup.events, whatever was listed)
     */
    Round lastRound() {
        return lastRound;
    }

    /** @return the live members, from cgroup.procs */
    List<ProcessInfo> members() {
        List<ProcessInfo> members = new ArrayList<>();
        for (long pid : leaf.procs()) { // loops and classes, not streams, on the end path: see package-info
            Optional<ProcTable.Stat> s = ProcTable.stat(pid);
            if (s.isPresent() && !s.get().isZombie()) {
                members.add(s.get().info());
            }
        }
        return List.copyOf(members);
    }

    /**
     * Sends {@code signals}, in turn, to every member, on one listing of cgroup.procs; SIGKILL
     * alone through cgroup.kill.
     *
     * @return how many were listed (at least 1 while the kernel still counts the cgroup populated)
     */
    int signal(int... signals) {
        if (removed()) {
            return 0;
        }
        long listedAt = System.nanoTime();
        List<Long> pids;
        if (signals.length == 1 && signals[0] == LibC.SIGKILL()) {
            pids = leaf.procs();
            try {
                leaf.kill();
            } catch (ErrnoException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        } else {
            // Per pid: pinned by a pidfd and checked against cgroup.procs again; a pid that cannot
            // be pinned goes through PidSignals (start time, FdReserve's spares), as every other
            // signal by pid in procgroup does.
            pids = leaf.signalEach(signals, new SignalByStartTime(signals));
        }
        lastRound = new Round(pids, listedAt);
        return !pids.isEmpty() ? pids.size() : populated() ? 1 : 0;
    }

    /** {@link #signal}'s way for a member that cannot be pinned: its stat now, then {@link PidSignals}. */
    private static final class SignalByStartTime implements LongConsumer {
        private final int[] signals;

        SignalByStartTime(int[] signals) {
            this.signals = signals;
        }

        @Override
        public void accept(long pid) {
            Optional<ProcTable.Stat> s = ProcTable.stat(pid);
            if (s.isPresent() && !s.get().isZombie()) {
                for (int signal : signals) {
                    PidSignals.send(s.get(), signal);
                }
            }
        }
    }
}
