package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waits by event, not by the clock, for listed processes of a tree to exit: a pidfd becomes
 * readable (POLLIN) once its process has exited, zombie or reaped, whoever its parent is. One
 * {@code poll(2)} on all of them wakes at each exit.
 *
 * <p>A pidfd is opened for the pid, then the start time is read again and must be the one
 * listed: if the pid names a later process by then, or nothing, it is not waited for (a
 * stranger's pidfd would not become readable when the listed process ended). Within
 * {@link PidCursor#MAX_WINDOW_NANOS} of the listing the pid cannot name a later process yet (that
 * would take a round of the pid space), so that read is left out. Nothing is signalled here, so no
 * pid-safety question arises; a wrong wake-up would only make the caller list the tree again, and
 * an exit is only reported for a pid that is gone or whose pidfd said so.
 *
 * <p>At the fd limit (EMFILE, ENFILE) it waits on the pidfds it could open and leaves the rest
 * for the caller's next round (the caller lists again after each wait, and the fds are free
 * again by then); with no pidfd at all (no pidfds on this system, or no fd left) it says so,
 * and the caller waits by the clock as before. FdReserve's spares are not taken: a wait can
 * always fall back, an end of a tree cannot.
 */
final class PidfdWait {
    /** At most this many fds in one wait: the rest are waited for in the caller's next round. */
    static final int MAX_FDS = 128;
    /** How often a wait looks at the thread's interrupt status (poll(2) does not see it). */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** As {@link #SLICE_NANOS}, for {@link #awaitReadable}, which stands in for an interruptible wait. */
    private static final long SHORT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** What {@link #awaitExit} found out. */
    enum Outcome {
        /** Nothing could be waited on by event (no pidfd could be opened, other than for processes already gone). */
        NO_EVENT,
        /** Waited, but not every process is known to have exited (the time ran out, a pidfd was missing, too many). */
        WAITED,
        /** Every process is known to have exited: gone before the wait, or its pidfd reported the exit. */
        ALL_EXITED
    }

    private PidfdWait() {
    }

    /** Loads the class (see {@link TreeWalk#load}). */
    static void load() {
        // Nothing to do: calling it loads and initialises the class.
    }

    /**
     * Waits until every process of {@code processes} still running when looked at has exited,
     * or {@code nanos} have passed.
     *
     * @param processes as a listing found them
     * @param listedAt  the {@link System#nanoTime()} at which that listing began
     * @param nanos     how long to wait at most
     * @return {@link Outcome#NO_EVENT} if it could not wait by event at all: the caller then waits
     *         by the clock
     * @throws InterruptedException if the thread is interrupted (the fds are closed first)
     */
    static Outcome awaitExit(List<Stat> processes, long listedAt, long nanos) throws InterruptedException {
        return awaitExit(new ListedStats(processes), listedAt, nanos);
    }

    /**
     * As {@link #awaitExit(List, long, long)}, for processes known by their pids alone (a cgroup's
     * members, as {@code cgroup.procs} listed them): with no start time to check a pid against, one
     * opened later than {@link PidCursor#MAX_WINDOW_NANOS} after the listing is not waited for (it
     * could name a later process), and the outcome is then {@link Outcome#WAITED}, never
     * {@link Outcome#ALL_EXITED}.
     *
     * @param pids     as the listing found them
     * @param listedAt the {@link System#nanoTime()} at which that listing began
     * @param nanos    how long to wait at most
     * @return as {@link #awaitExit(List, long, long)}
     * @throws InterruptedException if the thread is interrupted (the fds are closed first)
     */
    static Outcome awaitExitOfPids(List<Long> pids, long listedAt, long nanos) throws InterruptedException {
        ListedPids listed = new ListedPids(pids);
        Outcome outcome = awaitExit(listed, listedAt, nanos);
        return listed.unknown && outcome == Outcome.ALL_EXITED ? Outcome.WAITED : outcome;
    }

    /**
     * The processes of one wait, as a listing found them. Classes, not lambdas, on the way of a
     * tree's end (see "Code that runs cold" in package-info).
     */
    private abstract static class Listed {
        /** @return how many processes were listed */
        abstract int count();

        /** @return the pid of the i-th */
        abstract long pid(int i);

        /** @return whether the i-th's pid still names it, asked only once the window has passed (false: it is not waited for) */
        abstract boolean sameBeyondWindow(int i);
    }

    /** Processes listed with their start times, which tell a later process with the same pid apart. */
    private static final class ListedStats extends Listed {
        private final List<Stat> processes;

        ListedStats(List<Stat> processes) {
            this.processes = processes;
        }

        @Override
        int count() {
            return processes.size();
        }

        @Override
        long pid(int i) {
            return processes.get(i).pid();
        }

        @Override
        boolean sameBeyondWindow(int i) {
            return PidSignals.sameProcess(processes.get(i));
        }
    }

    /** Processes known by their pids alone: past the window, one is not waited for, and the wait says so. */
    private static final class ListedPids extends Listed {
        private final List<Long> pids;
        private boolean unknown; // one was past the window: not waited for, and not known to have exited

        ListedPids(List<Long> pids) {
            this.pids = pids;
        }

        @Override
        int count() {
            return pids.size();
        }

        @Override
        long pid(int i) {
            return pids.get(i);
        }

        @Override
        boolean sameBeyondWindow(int i) {
            unknown = true;
            return false;
        }
    }

    /** The wait of {@link #awaitExit(List, long, long)} and {@link #awaitExitOfPids}, on what {@code listed} names. */
    private static Outcome awaitExit(Listed listed, long listedAt, long nanos) throws InterruptedException {
        int count = listed.count();
        if (count == 0) {
            return Outcome.ALL_EXITED;
        }
        long deadline = System.nanoTime() + Math.max(0, nanos);
        int slots = Math.min(count, MAX_FDS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = PollFds.allocate(arena, slots);
            int open = 0;
            boolean failed = false;
            try {
                for (int i = 0; i < slots; i++) {
                    int fd = Posix.pidfdOpen((int) listed.pid(i), 0);
                    if (fd == -LibC.ESRCH()) {
                        continue; // reaped already: nothing to wait for
                    }
                    if (fd < 0) {
                        failed = true; // ENOSYS (no pidfds), EMFILE/ENFILE (no fd left): wait on what is open
                        break;
                    }
                    boolean recent = System.nanoTime() - listedAt <= PidCursor.MAX_WINDOW_NANOS;
                    if (!recent && !listed.sameBeyondWindow(i)) {
                        Posix.close(fd); // gone meanwhile, or the pid may name a later process: not one to wait for
                        continue;
                    }
                    PollFds.set(fds, open++, fd, LibC.POLLIN());
                }
                if (open == 0) {
                    // All gone already, or nothing could be waited on.
                    return failed ? Outcome.NO_EVENT : slots < count ? Outcome.WAITED : Outcome.ALL_EXITED;
                }
                boolean allExited = waitAll(fds, open, deadline) && !failed && slots == count;
                return allExited ? Outcome.ALL_EXITED : Outcome.WAITED;
            } finally {
                for (int i = 0; i < open; i++) {
                    int fd = PollFds.fd(fds, i);
                    if (fd >= 0) {
                        Posix.close(fd);
                    }
                }
            }
        }
    }

    /**
     * Whether a process read as running has exited since, without waiting: one pidfd each, opened
     * now and polled once. A pidfd for a process that exited is readable at once (zombie),
     * pidfd_open fails for one that is reaped (ESRCH), and shortly after a listing its pid cannot
     * name another process yet (that would take a round of the pid space, see {@link PidCursor}).
     * Where pidfds cannot answer (none on this kernel, no fd left, more than {@link #MAX_FDS}) the
     * answer is "maybe", true, which only costs the caller a listing.
     */
    static boolean anyExited(Collection<Stat> processes) {
        if (processes.size() > MAX_FDS) {
            return true;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = PollFds.allocate(arena, processes.size());
            int open = 0;
            try {
                for (Stat s : processes) {
                    int fd = Posix.pidfdOpen((int) s.pid(), 0);
                    if (fd < 0) {
                        return true; // ESRCH: reaped; ENOSYS, EMFILE...: no answer
                    }
                    PollFds.set(fds, open++, fd, LibC.POLLIN());
                }
                return open > 0 && Posix.poll(fds, open, 0) != 0; // > 0: one exited; < 0: no answer
            } finally {
                for (int i = 0; i < open; i++) {
                    Posix.close(PollFds.fd(fds, i));
                }
            }
        }
    }

    /**
     * Waits until one pidfd is readable (its process exited), looking at the thread's interrupt
     * status every {@link #SHORT_SLICE_NANOS}.
     *
     * @return true if it is readable (or poll(2) reports an error on it), false once {@code nanos} have passed
     * @throws InterruptedException if the thread is interrupted
     */
    static boolean awaitReadable(int pidfd, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, nanos); // wraps safely: only differences are compared
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = PollFds.allocate(arena, 1);
            PollFds.set(slot, 0, pidfd, LibC.POLLIN());
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long left = deadline - System.nanoTime();
                // A slice, or what is left of the time rounded up to a whole millisecond; 0 once it is up.
                int millis = left <= 0 ? 0
                        : (int) TimeUnit.NANOSECONDS.toMillis(Math.min(left, SHORT_SLICE_NANOS) + 999_999);
                int r = Posix.poll(slot, 1, millis);
                if (r > 0) {
                    return true; // POLLIN: exited; POLLERR/POLLNVAL: the caller's reap decides
                }
                if (r < 0 && r != -LibC.EINTR()) {
                    return false; // ENOMEM: the caller waits the other way
                }
                if (left <= 0) {
                    return false;
                }
            }
        }
    }

    /**
     * Polls until every fd of the first {@code open} slots has fired (each is closed and set to -1
     * then), or the deadline.
     *
     * @return whether every one fired with an exit (POLLIN, or POLLHUP: reaped as well)
     */
    private static boolean waitAll(MemorySegment fds, int open, long deadline) throws InterruptedException {
        int pending = open;
        boolean allExits = true;
        while (pending > 0) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            long slice = Math.min(left, SLICE_NANOS);
            int millis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(slice + 999_999));
            int r = Posix.poll(fds, open, millis);
            if (r == -LibC.EINTR() || r == 0) {
                continue; // a signal handler ran, or the slice ended: look at the interrupt and the deadline
            }
            if (r < 0) {
                return false; // ENOMEM: the caller lists again and waits by the clock if this keeps failing
            }
            for (int i = 0; i < open; i++) {
                int fd = PollFds.fd(fds, i);
                int revents = PollFds.revents(fds, i);
                // POLLIN: it exited. POLLERR/POLLNVAL would not clear either: count it done, not
                // as an exit, and let the caller's next listing decide.
                if (fd >= 0 && revents != 0) {
                    allExits &= (revents & (LibC.POLLIN() | LibC.POLLHUP())) != 0;
                    Posix.close(fd);
                    PollFds.setFd(fds, i, -1); // poll(2) skips negative fds
                    pending--;
                }
                PollFds.clearRevents(fds, i);
            }
        }
        return allExits;
    }
}
