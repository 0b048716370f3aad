package io.github.procgroup.internal.linux;

import io.github.procgroup.Containment;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.ResourceUsage;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.bindings.linux.rusage;
import io.github.procgroup.bindings.linux.siginfo_t;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.linux.ProcTable.Snapshot;
import io.github.procgroup.internal.linux.ProcTable.Stat;


import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * A child started by {@link LinuxBackend}: the leader of process group {@code pid}, and the tree
 * that grows from it. Pid ownership and reaping live in {@link OwnedPid}, the group id and its
 * reuse check in {@link TreeGroup}, finding the tree and the memory of escapees in {@link TreeView};
 * this class ties them to the {@link ChildProcess} operations. No signal leaves it except through those: killpg
 * while the group is pinned, {@link PidSignals} for every other process, each one listed in the
 * tree just before.
 */
final class LinuxProcess implements ChildProcess, ExitWatcher.Watched {
    private final OwnedPid leader;
    private final TreeGroup group;
    private final TreeView view;
    private final ChildStdio.Streams streams;
    private Optional<ProcessHandle> handle; // guarded by this; null until first asked for (see handle())
    private final ParentDeathSentinel sentinel; // null unless killOnParentDeath
    private final boolean killOnJvmExit;
    private final Duration exitHookGrace;
    private final CgroupTree cgroup; // the child's leaf cgroup (Containment.CGROUP), or null
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile ResourceUsage usage;
    private volatile List<Stat> listedRunning; // what the last listing found running, or null if none was made

    LinuxProcess(int pid, int pidfd, ChildStdio.Streams streams, ParentDeathSentinel sentinel, boolean killOnJvmExit,
                 Duration exitHookGrace, String treeToken, CgroupTree cgroup) {
        this.leader = new OwnedPid(pid, pidfd);
        this.group = new TreeGroup(pid, leader, sentinel == null ? null : sentinel.owned());
        this.streams = streams;
        this.sentinel = sentinel;
        this.killOnJvmExit = killOnJvmExit;
        this.exitHookGrace = exitHookGrace;
        this.cgroup = cgroup;
        this.view = new TreeView(leader, group, sentinel == null ? -1 : sentinel.pid(), treeToken);
    }

    /** @return the pidfd to watch, or -1 if pidfd_open was not available */
    @Override
    public int pidfd() {
        return leader.pidfd();
    }

    @Override
    public boolean tryReap() {
        ExitStatus status;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rawStatus = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment resources = rusage.allocate(arena);
            switch (leader.reap(rawStatus, resources)) {
                case RUNNING:
                    return false;
                case ALREADY_REAPED:
                    return true;
                case LOST: // ECHILD: someone else (a waitpid(-1) somewhere in the JVM) reaped our child
                    exit.completeExceptionally(Errno.exception("cannot reap pid " + leader.pid(), LibC.ECHILD()));
                    return true;
                default:
                    status = ExitStatus.fromWaitStatus(rawStatus.get(ValueLayout.JAVA_INT, 0));
                    usage = ResourceUsages.decode(resources);
            }
        }
        streams.leaderReaped(); // before the exit future: once waitFor() returns, the streams have ended
        exit.complete(status);
        afterLeaderReaped();
        return true;
    }

    @Override
    public void failed(RuntimeException cause) {
        exit.completeExceptionally(cause); // no effect if the exit was already reported
    }

    private void afterLeaderReaped() {
        if (sentinel != null && !groupHasMembers()) {
            sentinel.kill(); // nothing left to protect; members that outlive the leader keep it until close()
        }
        // The common case is forgotten at once; otherwise close()/terminate() or LiveTrees' pruning
        // forget the tree once nothing of it is left.
        if (goneWithoutTrace()) {
            LiveTrees.remove(this);
        }
    }

    /**
     * The common end, decided without a /proc scan: the leader is reaped, no process is left in
     * the group, and nothing outside it is known (no remembered escapee, no sentinel, no subreaper
     * tracking adoptions). An escapee re-parented to init could not be traced any more anyway.
     */
    private boolean goneWithoutTrace() {
        if (cgroup != null) {
            return endIfOverCgroup(); // the cgroup is exact: no listing, no remembered escapees
        }
        return sentinel == null && view.remembersNothing() && !AdoptedOrphans.running() && group.isEmptyForGood();
    }

    /** @return the parent-death sentinel's pid, or -1 */
    long sentinelPid() {
        return sentinel == null ? -1 : sentinel.pid();
    }

    /** @return whether the shutdown hook kills this tree */
    boolean killOnJvmExit() {
        return killOnJvmExit;
    }

    /** @return how long the shutdown hook lets this tree handle SIGTERM before SIGKILL */
    Duration exitHookGrace() {
        return exitHookGrace;
    }

    private List<Stat> tree(Snapshot snapshot, boolean remember) {
        return view.find(snapshot, remember);
    }

    /** Finds this tree and remembers exactly its processes (the orphan tracker's round). @return the tree */
    List<Stat> rememberTree(Snapshot snapshot) {
        return tree(snapshot, true);
    }

    /**
     * @return whether the tree is over in {@code snapshot}: the leader reaped, none of its
     *         processes running and none waiting for this JVM to reap it (an adopted escapee);
     *         the sentinel, if any, is then ended too
     */
    boolean isOver(Snapshot snapshot) {
        if (cgroup != null) {
            return endIfOverCgroup();
        }
        return leader.isReaped() && endIfOver(tree(snapshot, AdoptedOrphans.running()));
    }

    /** As {@link #isOver}, given this tree's processes. */
    private boolean endIfOver(List<Stat> tree) {
        if (!leader.isReaped() || !tree.stream().allMatch(s -> s.isZombie() && s.ppid() != SelfPid.PID)) {
            return false;
        }
        endSentinel();
        return true;
    }

    /** In a cgroup: over once the leader is reaped and the cgroup empty (the leaf is removed then). */
    private boolean endIfOverCgroup() {
        if (!cgroup.isOver(leader.isReaped())) {
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

    @Override
    public long pid() {
        return leader.pid();
    }

    /**
     * The JDK's handle is made on first request (ProcessHandle.of reads /proc, which a spawn need
     * not pay for), under the leader's reap lock while it is unreaped: an unreaped child, even one
     * that has exited, still holds its pid, so the handle names it. Asked for only after the reap,
     * when the pid may be another process's, it is a {@link ReapedProcessHandle}.
     */
    @Override
    public synchronized Optional<ProcessHandle> handle() {
        if (handle == null) {
            Optional<ProcessHandle> unreaped = leader.whileUnreaped(ProcessHandle::of);
            handle = unreaped != null ? unreaped : Optional.of(new ReapedProcessHandle(leader.pid()));
        }
        return handle;
    }

    @Override
    public long processGroupId() {
        return leader.pid(); // the child was spawned as the leader of a new group (or session)
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
        int r = group.killWhilePinned(signal.number());
        if (r != TreeGroup.NOT_PINNED) {
            if (r == -LibC.ESRCH()) {
                return false; // no member left
            }
            TreeSignals.check(r, signal.signalName() + " to process group " + leader.pid());
            return true;
        }
        if (group.isEmptyForGood()) {
            return false;
        }
        Snapshot snapshot = view.snapshot();
        Predicate<Stat> inGroup = view.groupMembers(snapshot);
        return TreeSignals.toEach(ProcessTree.live(snapshot.processes()).stream()
                .filter(s -> s.pid() != sentinelPid() && inGroup.test(s)).toList(), signal) > 0;
    }

    @Override
    public boolean groupHasMembers() {
        if (cgroup != null) {
            return cgroup.populated();
        }
        // Signal 0 is the cheap check, but it also finds zombies: members that died after being
        // re-parented wait for init (or a subreaper) to reap them. Those are dead, so /proc decides.
        // The sentinel is procgroup's, not a member the user started.
        if (Posix.killpg(leader.pid(), 0) == -LibC.ESRCH()) {
            return false;
        }
        Snapshot snapshot = view.snapshot();
        Predicate<Stat> inGroup = view.groupMembers(snapshot);
        long hidden = sentinelPid();
        return snapshot.processes().stream().anyMatch(s -> inGroup.test(s) && !s.isZombie() && s.pid() != hidden);
    }

    @Override
    public boolean treeRuns() {
        if (cgroup != null) {
            return !leader.isReaped() || cgroup.populated();
        }
        if (!leader.isReaped()) {
            listedRunning = null; // no listing: a wait falls back to the clock (the exit future is the leader's event)
            return true;
        }
        List<Stat> live = ProcessTree.live(tree(view.snapshot(), AdoptedOrphans.running()));
        listedRunning = live;
        return !live.isEmpty();
    }

    /**
     * Waits by event (their pidfds, see {@link PidfdWait}) for the processes the last listing
     * ({@link #signalTree}, {@link #treeRuns}) found running to exit.
     */
    @Override
    public boolean awaitListedExit(long nanos) throws InterruptedException {
        if (cgroup != null) {
            return false; // the cgroup has its own event, emptied()
        }
        List<Stat> listed = listedRunning;
        return listed != null && PidfdWait.awaitExit(listed, nanos);
    }

    @Override
    public List<ProcessInfo> members() {
        if (cgroup != null) {
            return cgroup.members();
        }
        return ProcessTree.live(tree(view.snapshot(), AdoptedOrphans.running())).stream()
                .filter(s -> s.pgid() == leader.pid()).map(Stat::info).toList();
    }

    @Override
    public List<ProcessInfo> tree() {
        if (cgroup != null) {
            return cgroup.members(); // nothing of the tree can be outside its cgroup
        }
        return ProcessTree.live(tree(view.snapshot(), AdoptedOrphans.running())).stream().map(Stat::info).toList();
    }

    @Override
    public int requestStop() {
        // One listing for both: a stopped process sees the SIGTERM only once continued.
        return signalTree(Signal.TERM, Signal.CONT);
    }

    @Override
    public int kill() {
        return signalTree(Signal.KILL); // with a cgroup: cgroup.kill, which needs no listing
    }

    @Override
    public int signalTree(Signal signal) {
        return signalTree(new Signal[] {signal});
    }

    /** {@link #signalTree(Signal)} with each of {@code signals} in turn, on one listing. */
    private int signalTree(Signal... signals) {
        if (cgroup != null) {
            int listed = cgroup.signal(signals[0].number()); // what ran when the first signal went out
            for (int i = 1; i < signals.length; i++) {
                cgroup.signal(signals[i].number());
            }
            if (listed == 0 && endIfOverCgroup()) {
                LiveTrees.remove(this);
            }
            return listed;
        }
        if (goneWithoutTrace()) {
            listedRunning = List.of();
            LiveTrees.remove(this);
            return 0;
        }
        // The listing comes before the group's signal: an escapee is traced through its parent,
        // which the signal may end. At the fd limit the listing retries with FdReserve's spares;
        // if it fails all the same, the pinned group still gets its signal (killpg needs no fd)
        // before the error is thrown, so no error here spares the group.
        Snapshot snapshot;
        try {
            snapshot = view.snapshot();
        } catch (RuntimeException e) {
            for (Signal signal : signals) {
                TreeSignals.toPinnedGroup(group, signal);
            }
            throw e;
        }
        // Remembered even without a subreaper: an escapee signalled now stays part of the tree after
        // its parent dies, so the next round still sees it until it is dead.
        List<Stat> tree = tree(snapshot, true);
        List<Stat> live = ProcessTree.live(tree);
        for (Signal signal : signals) {
            // killpg reaches every member, also one that joined after the listing.
            boolean groupReached = TreeSignals.toPinnedGroup(group, signal);
            // Escapees (setsid, setpgid), and the members of an unpinned group: by pid and start time only.
            TreeSignals.toEach(live.stream().filter(s -> !groupReached || s.pgid() != leader.pid()).toList(), signal);
        }
        listedRunning = live;
        if (endIfOver(tree)) {
            LiveTrees.remove(this);
        }
        return live.size();
    }

    /**
     * Looks with waitid(WSTOPPED | WNOHANG | WNOWAIT), which leaves the report for anyone else; under
     * the leader's reap lock (see {@link OwnedPid#whileUnreaped}), so the pid is still our unreaped child.
     */
    @Override
    public int stopSignal() {
        return leader.whileUnreaped(pid -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment info = siginfo_t.allocate(arena); // zeroed: si_pid stays 0 if nothing is reported
                int r = Posix.waitid(LibC.P_PID(), pid, info, LibC.WSTOPPED() | LibC.WNOHANG() | LibC.WNOWAIT());
                MemorySegment child = siginfo_t._sifields._sigchld(siginfo_t._sifields(info));
                if (r < 0 || siginfo_t._sifields._sigchld.si_pid(child) != pid
                        || siginfo_t.si_code(info) != LibC.CLD_STOPPED()) {
                    return 0;
                }
                return siginfo_t._sifields._sigchld.si_status(child);
            }
        }, 0);
    }

    @Override
    public boolean signalLeader(Signal signal) {
        int r = leader.signal(signal.number());
        if (r == -LibC.ESRCH()) {
            return false; // reaped (its pid may be someone else's now), or exiting
        }
        TreeSignals.check(r, signal.signalName() + " to pid " + leader.pid());
        return true;
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
