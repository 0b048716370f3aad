package io.github.procgroup.internal.linux;

import io.github.procgroup.Containment;
import io.github.procgroup.ErrnoException;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.ResourceUsage;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.bindings.linux.rusage;
import io.github.procgroup.bindings.linux.timeval;
import io.github.procgroup.internal.ChildProcess;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A child started by {@link LinuxBackend}: the leader of process group {@code pid}.
 *
 * <p>Reaping and signalling the leader by pid share one lock: until procgroup reaps the leader,
 * the pid cannot be reused (a zombie keeps it), so a signal sent under the lock before the
 * reap can only reach our child.
 */
final class LinuxProcess implements ChildProcess, ExitWatcher.Watched {
    private static final int KIB = 1024;
    private static final long SELF = ProcessHandle.current().pid();

    private final int pid;
    private final ChildStdio.Streams streams;
    private final Optional<ProcessHandle> handle;
    private final ParentDeathSentinel sentinel; // null unless killOnParentDeath
    private final boolean killOnJvmExit;
    private final String treeToken; // PROCGROUP_TREE in the child's environment, or null
    private final CgroupTree cgroup; // the child's leaf cgroup (Containment.CGROUP), or null
    // Processes seen in this tree (by the subreaper's tracker): an escapee stays known after its parent died.
    private final Set<ProcTable.ProcessKey> remembered = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private int pidfd; // guarded by this; -1 if there is none or once reaped
    private boolean reaped; // guarded by this
    private volatile ResourceUsage usage;

    LinuxProcess(int pid, int pidfd, ChildStdio.Streams streams, ParentDeathSentinel sentinel, boolean killOnJvmExit,
                 String treeToken, CgroupTree cgroup) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.streams = streams;
        this.sentinel = sentinel;
        this.killOnJvmExit = killOnJvmExit;
        this.treeToken = treeToken;
        this.cgroup = cgroup;
        // Taken before the exit watcher knows the child: unreaped, even a child that has already
        // exited still has its pid, so the JDK can make a handle for it.
        this.handle = ProcessHandle.of(pid);
    }

    /** @return the pidfd to watch, or -1 if pidfd_open was not available */
    @Override
    public synchronized int pidfd() {
        return pidfd;
    }

    /**
     * Reaps the leader if it has exited (wait4 with WNOHANG on our own pid only; never
     * waitpid(-1), which would steal the JDK's children) and completes {@link #exit()}.
     *
     * @return true if the leader is reaped now or was before
     */
    @Override
    public boolean tryReap() {
        ExitStatus status;
        synchronized (this) {
            if (reaped) {
                return true;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment rawStatus = arena.allocate(ValueLayout.JAVA_INT);
                MemorySegment resources = rusage.allocate(arena);
                int r = Posix.wait4(pid, rawStatus, LibC.WNOHANG(), resources);
                if (r == 0 || r == -LibC.EINTR()) {
                    return false;
                }
                if (r < 0) {
                    // ECHILD: someone else (a waitpid(-1) somewhere in the JVM) reaped our child.
                    markReaped();
                    exit.completeExceptionally(Errno.exception("cannot reap pid " + pid, -r));
                    return true;
                }
                status = ExitStatus.fromWaitStatus(rawStatus.get(ValueLayout.JAVA_INT, 0));
                usage = toResourceUsage(resources);
            }
            markReaped();
        }
        exit.complete(status);
        afterLeaderReaped();
        return true;
    }

    private void afterLeaderReaped() {
        if (sentinel != null && !groupHasMembers()) {
            endSentinel(); // nothing left to protect; members that outlive the leader keep it until close()
        }
        // The common case is forgotten at once; otherwise close()/terminate() or LiveTrees' pruning
        // forget the tree once nothing of it is left.
        if (goneWithoutTrace()) {
            LiveTrees.remove(this);
        }
    }

    /**
     * The common end, decided without a /proc scan: the leader is reaped, no process is left in
     * the group (killpg finds not even a zombie), and nothing outside it is known (no remembered
     * escapee, no sentinel, no subreaper tracking adoptions). An escapee re-parented to init could
     * not be traced any more anyway.
     */
    private boolean goneWithoutTrace() {
        if (cgroup != null) {
            return endIfOverCgroup();
        }
        return isReaped() && sentinel == null && remembered.isEmpty() && !AdoptedOrphans.running()
                && Posix.killpg(pid, 0) == -LibC.ESRCH();
    }

    private synchronized boolean isReaped() {
        return reaped;
    }

    /** @return the parent-death sentinel's pid, or -1 */
    long sentinelPid() {
        return sentinel == null ? -1 : sentinel.pid();
    }

    /** @return whether the shutdown hook kills this tree */
    boolean killOnJvmExit() {
        return killOnJvmExit;
    }

    /** @return this tree's processes in {@code all}, zombies included; remembered while the subreaper tracks */
    private List<ProcTable.Stat> tree(List<ProcTable.Stat> all) {
        return AdoptedOrphans.running() ? rememberTree(all)
                : ProcessTree.find(all, pid, sentinelPid(), remembered);
    }

    /** Finds this tree in {@code all} and remembers exactly its processes. @return the tree */
    List<ProcTable.Stat> rememberTree(List<ProcTable.Stat> all) {
        if (treeToken != null) {
            for (ProcTable.Stat s : all) {
                if (treeToken.equals(AdoptedOrphans.adoptedToken(s))) {
                    remembered.add(s.key()); // an escapee adopted before a scan saw it in the tree
                }
            }
        }
        List<ProcTable.Stat> tree = ProcessTree.find(all, pid, sentinelPid(), remembered);
        Set<ProcTable.ProcessKey> keys = new HashSet<>();
        for (ProcTable.Stat s : tree) {
            keys.add(s.key());
        }
        remembered.addAll(keys);
        remembered.retainAll(keys);
        return tree;
    }

    /**
     * @return whether the tree is over in {@code snapshot}: the leader reaped, none of its
     *         processes running and none waiting for this JVM to reap it (an adopted escapee);
     *         the sentinel, if any, is then ended too
     */
    boolean isOver(List<ProcTable.Stat> snapshot) {
        if (cgroup != null) {
            return endIfOverCgroup();
        }
        return endIfOver(tree(snapshot));
    }

    /** As {@link #isOver}, given this tree's processes. */
    private boolean endIfOver(List<ProcTable.Stat> tree) {
        if (!isReaped() || !tree.stream().allMatch(s -> s.isZombie() && s.ppid() != SELF)) {
            return false;
        }
        endSentinel();
        return true;
    }

    /** In a cgroup: over once the leader is reaped and the cgroup empty (the leaf is removed then). */
    private boolean endIfOverCgroup() {
        if (!cgroup.isOver(isReaped())) {
            return false;
        }
        endSentinel();
        return true;
    }

    private void endSentinel() {
        if (sentinel != null) {
            sentinel.kill();
        }
    }

    private void markReaped() {
        reaped = true;
        if (pidfd >= 0) {
            Posix.close(pidfd);
            pidfd = -1;
        }
    }

    private static ResourceUsage toResourceUsage(MemorySegment resources) {
        return new ResourceUsage(
                toDuration(rusage.ru_utime(resources)),
                toDuration(rusage.ru_stime(resources)),
                rusage.ru_maxrss(resources) * KIB); // Linux reports ru_maxrss in KiB
    }

    private static Duration toDuration(MemorySegment tv) {
        return Duration.ofSeconds(timeval.tv_sec(tv), timeval.tv_usec(tv) * 1000L);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Optional<ProcessHandle> handle() {
        return handle;
    }

    @Override
    public long processGroupId() {
        return pid; // the child was spawned as the leader of a new group (or session)
    }

    @Override
    public OutputStream stdin() {
        return streams.stdin();
    }

    @Override
    public InputStream stdout() {
        return streams.stdout();
    }

    @Override
    public InputStream stderr() {
        return streams.stderr();
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    @Override
    public Optional<ResourceUsage> resourceUsage() {
        return Optional.ofNullable(usage);
    }

    @Override
    public boolean signalGroup(Signal signal) {
        if (cgroup != null) {
            return cgroup.signal(signal.number()) > 0; // the cgroup's members are the group's here
        }
        if (!holdsGroupId(null)) {
            return false; // the group is gone: its id may name someone else's group by now
        }
        int r = Posix.killpg(pid, signal.number());
        if (r == -LibC.ESRCH()) {
            return false; // no member left
        }
        check(r, signal.signalName() + " to process group " + pid);
        return true;
    }

    @Override
    public boolean groupHasMembers() {
        if (cgroup != null) {
            return cgroup.populated();
        }
        // Signal 0 is the cheap check, but it also finds zombies: members that died after being
        // re-parented wait for init (or a subreaper) to reap them. Those are dead, so /proc decides.
        // The sentinel is procgroup's, not a member the user started.
        if (Posix.killpg(pid, 0) == -LibC.ESRCH()) {
            return false;
        }
        long hidden = sentinelPid();
        return ProcTable.all().stream().anyMatch(s -> s.pgid() == pid && !s.isZombie() && s.pid() != hidden);
    }

    @Override
    public boolean treeRuns() {
        if (cgroup != null) {
            return !isReaped() || cgroup.populated();
        }
        return !isReaped() || !ProcessTree.live(tree(ProcTable.all())).isEmpty();
    }

    @Override
    public List<ProcessInfo> members() {
        if (cgroup != null) {
            return cgroup.members();
        }
        return ProcessTree.live(tree(ProcTable.all())).stream()
                .filter(s -> s.pgid() == pid).map(ProcTable.Stat::info).toList();
    }

    @Override
    public List<ProcessInfo> tree() {
        if (cgroup != null) {
            return cgroup.members(); // nothing of the tree can be outside its cgroup
        }
        return ProcessTree.live(tree(ProcTable.all())).stream().map(ProcTable.Stat::info).toList();
    }

    @Override
    public int signalTree(Signal signal) {
        if (cgroup != null) {
            int listed = cgroup.signal(signal.number());
            if (listed == 0 && endIfOverCgroup()) {
                LiveTrees.remove(this);
            }
            return listed;
        }
        if (goneWithoutTrace()) {
            LiveTrees.remove(this);
            return 0;
        }
        List<ProcTable.Stat> all = ProcTable.all();
        // Remembered even without a subreaper: an escapee signalled now stays part of the tree after
        // its parent dies, so the next round still sees it until it is dead.
        List<ProcTable.Stat> tree = rememberTree(all);
        // killpg reaches every member, also one that joined after the listing.
        if (holdsGroupId(all)) {
            int r = Posix.killpg(pid, signal.number());
            if (r != -LibC.ESRCH()) {
                check(r, signal.signalName() + " to process group " + pid);
            }
        }
        List<ProcTable.Stat> live = ProcessTree.live(tree);
        for (ProcTable.Stat s : live) {
            if (s.pgid() != pid) {
                // An escapee (setsid, setpgid). It ran in the listing a moment ago; ESRCH: it is gone now.
                Posix.kill((int) s.pid(), signal.number());
            }
        }
        if (endIfOver(tree)) {
            LiveTrees.remove(this);
        }
        return live.size();
    }

    /**
     * Whether the group id is still ours. Linux does not reuse a number while any process (a
     * zombie too) has it as its pid, group or session; so while our leader or sentinel is unreaped
     * the id is ours. After that, a group can only be created again under this id by a new
     * process whose pid it is: a process with our old number that leads a group of that number
     * means the id was freed and reused by someone else's group. (A reused group whose new leader
     * has already exited too is not detected: that needs two pid reuses in between.)
     *
     * @param snapshot a /proc listing to decide from (members must remain), or null for the
     *                 cheap check of /proc/PGID alone (killpg then reports ESRCH if none remain)
     */
    private boolean holdsGroupId(List<ProcTable.Stat> snapshot) {
        if (!isReaped() || (sentinel != null && !sentinel.isReaped())) {
            return true;
        }
        if (snapshot == null) {
            return ProcTable.stat(pid).map(s -> s.pgid() != pid).orElse(true);
        }
        boolean members = false;
        for (ProcTable.Stat s : snapshot) {
            if (s.pgid() == pid) {
                if (s.pid() == pid) {
                    return false; // a new leader with our old number: reused
                }
                members = true;
            }
        }
        return members;
    }

    @Override
    public synchronized boolean signalLeader(Signal signal) {
        if (reaped) {
            return false;
        }
        // Unreaped, the pid is still ours (see the class comment); the pidfd makes that explicit.
        int r = pidfd >= 0 ? Posix.pidfdSendSignal(pidfd, signal.number()) : Posix.kill(pid, signal.number());
        if (r == -LibC.ESRCH()) {
            return false;
        }
        check(r, signal.signalName() + " to pid " + pid);
        return true;
    }

    private static void check(int result, String what) {
        if (result < 0) {
            ErrnoException e = Errno.exception("cannot send " + what, -result);
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public Containment containment() {
        return cgroup != null ? Containment.CGROUP : Containment.GROUP;
    }

    @Override
    public Optional<CompletableFuture<Void>> emptied() {
        return cgroup != null ? cgroup.emptied() : Optional.empty();
    }
}
