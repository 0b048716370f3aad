package io.github.procgroup.internal.linux.cgroup;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.Errno;
import io.github.procgroup.internal.linux.Posix;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * One child's own cgroup v2: created empty, the child moved in before it runs the program, and
 * removed once nothing is left in it. Every process the tree forks starts in it, and none can
 * move out without write access to a common ancestor's {@code cgroup.procs}.
 */
public final class CgroupLeaf {
    private final Path dir;

    private CgroupLeaf(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates {@code parent/name}.
     *
     * @throws ErrnoException naming the directory: EACCES or EPERM (not delegated to this user),
     *                        EROFS (a read-only cgroupfs, as in a container), ENOENT (no such
     *                        parent), ENOTDIR, EEXIST
     */
    public static CgroupLeaf create(Path parent, String name) throws ErrnoException {
        Path dir = parent.resolve(name);
        int r = CgroupFs.mkdir(dir);
        if (r < 0) {
            throw Errno.exception("cannot create cgroup " + dir, -r);
        }
        return new CgroupLeaf(dir);
    }

    /** @return the cgroup's directory */
    public Path dir() {
        return dir;
    }

    /**
     * Moves one process in (it and all its threads).
     *
     * @throws ErrnoException EACCES or EPERM (no write access to the common ancestor's
     *                        cgroup.procs), ESRCH, EBUSY, EOPNOTSUPP (a threaded or domain-invalid parent)
     */
    public void moveIn(long pid) throws ErrnoException {
        CgroupFs.writeOrThrow(dir.resolve("cgroup.procs"), Long.toString(pid));
    }

    /** @return the pids in the cgroup now (threads' processes once each); empty once it is gone */
    public List<Long> procs() {
        String content = CgroupFs.read(dir.resolve("cgroup.procs"));
        List<Long> pids = new ArrayList<>();
        if (content != null) {
            for (String line : content.split("\n")) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
        }
        return pids;
    }

    /**
     * @return whether a live process is in the cgroup ({@code populated 1} in cgroup.events);
     *         exited processes do not count, zombies included; false once it is gone
     */
    public boolean populated() {
        String events = CgroupFs.read(dir.resolve("cgroup.events"));
        if (events == null) {
            return false;
        }
        for (String line : events.split("\n")) { // no stream: the end of a tree runs this cold (see linux package-info)
            if (line.equals("populated 1")) {
                return true;
            }
        }
        return false;
    }

    /** @return the path of cgroup.events, to watch */
    public Path eventsFile() {
        return dir.resolve("cgroup.events");
    }

    /**
     * SIGKILLs every member: with {@code cgroup.kill} (Linux 5.14+) in one atomic step that also
     * catches a process being forked at that moment; before that, freeze the cgroup (no member
     * can fork meanwhile), SIGKILL each listed member, thaw (a frozen process still dies of
     * SIGKILL). The caller repeats until the cgroup is empty.
     *
     * @throws ErrnoException if the cgroup's files refuse the write (not for a cgroup already gone)
     */
    public void kill() throws ErrnoException {
        Path killFile = dir.resolve("cgroup.kill");
        if (Files.exists(killFile)) {
            int r = CgroupFs.write(killFile, "1");
            if (r == 0 || r == -LibC.ENOENT() || r == -LibC.ENODEV()) {
                return; // ENOENT/ENODEV: removed meanwhile, nothing left to kill
            }
            throw Errno.exception("cannot write 1 to " + killFile, -r);
        }
        Path freeze = dir.resolve("cgroup.freeze");
        boolean frozen = Files.exists(freeze) && CgroupFs.write(freeze, "1") == 0;
        try {
            signalEach(LibC.SIGKILL());
        } finally {
            if (frozen) {
                CgroupFs.write(freeze, "0");
            }
        }
    }

    /**
     * As {@link #signalEach(int[], LongConsumer)} for one signal, with a pid that cannot be pinned
     * (no pidfd) signalled as listed: for the freeze fallback of {@link #kill()}, where no member of
     * the frozen cgroup can exit and free its pid, and the parent-death path.
     */
    public int signalEach(int signal) {
        return signalEach(new int[] {signal}, new KillByPid(signal)).size();
    }

    /** {@link #signalEach(int)}'s way for a pid that cannot be pinned: kill(2), as listed. A class, not a lambda (see linux package-info). */
    private static final class KillByPid implements LongConsumer {
        private final int signal;

        KillByPid(int signal) {
            this.signal = signal;
        }

        @Override
        public void accept(long pid) {
            Posix.kill((int) pid, signal);
        }
    }

    /**
     * Sends {@code signals}, in turn, to every member, never to a process outside the cgroup: each
     * listed pid is pinned with a pidfd first, and signalled only if the cgroup still lists it
     * after that (a pid that was reused meanwhile names a process elsewhere, which the cgroup does
     * not list; one the tree forked is ours). One listing for all the signals, as a process group's
     * round makes (a stopped process sees SIGTERM only once SIGCONT follows). A pid that cannot be
     * pinned (ENOSYS: glibc or kernel too old; EMFILE) is handed to {@code unpinned} if the cgroup
     * still lists it after the first listing: the caller's own pid-safe way (start time, spare
     * fds), which sends the signals.
     *
     * @return the members listed, as {@code cgroup.procs} had them before the signals
     */
    public List<Long> signalEach(int[] signals, LongConsumer unpinned) {
        List<Long> listed = procs();
        List<long[]> pinned = new ArrayList<>(listed.size()); // {pid, pidfd}
        List<Long> notPinned = new ArrayList<>();
        try {
            for (long pid : listed) {
                int pidfd = Posix.pidfdOpen((int) pid, 0);
                if (pidfd >= 0) {
                    pinned.add(new long[] {pid, pidfd});
                } else if (pidfd != -LibC.ESRCH()) {
                    notPinned.add(pid); // ENOSYS (old kernel) or EMFILE
                }
            }
            Set<Long> stillListed = new HashSet<>(procs());
            for (long[] p : pinned) {
                if (stillListed.contains(p[0])) {
                    for (int signal : signals) {
                        Posix.pidfdSendSignal((int) p[1], signal); // ESRCH: it exited since
                    }
                }
            }
            for (long pid : notPinned) {
                if (stillListed.contains(pid)) {
                    unpinned.accept(pid);
                }
            }
        } finally {
            for (long[] p : pinned) {
                Posix.close((int) p[1]);
            }
        }
        return listed;
    }

    /**
     * Removes the cgroup; it must be empty (no live member, no child cgroup).
     *
     * @return true if it is gone now (removed, or already gone); false while a member lives (EBUSY)
     */
    public boolean remove() {
        int r = CgroupFs.rmdir(dir);
        return r == 0 || r == -LibC.ENOENT();
    }

    /** @return whether the directory still exists */
    public boolean exists() {
        return Files.isDirectory(dir);
    }

    /**
     * Opens cgroup.events for watching: the fd becomes ready (EPOLLPRI) each time the file's
     * content changes after this open, so a change between open and registration is not lost.
     *
     * @return the fd (O_CLOEXEC), or -errno
     */
    public int openEvents() {
        try (Arena arena = Arena.ofConfined()) {
            return Posix.open(arena.allocateFrom(eventsFile().toString()), LibC.O_RDONLY() | LibC.O_CLOEXEC(), 0);
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
