package io.github.procgroup.internal.linux;

import io.github.procgroup.Containment;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.ResourceUsage;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.linux.LibC;
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

/**
 * A child started by {@link LinuxBackend}: the leader of process group {@code pid}, and the tree
 * that grows from it. Pid ownership and reaping live in {@link OwnedPid}; finding, signalling and
 * waiting for the tree in its {@link TreeMembership}, chosen once at spawn: the process group
 * ({@link GroupMembership}) or the child's leaf cgroup ({@link CgroupMembership}). This class ties
 * them, the streams and the parent-death sentinel to the {@link ChildProcess} operations.
 */
final class LinuxProcess implements ChildProcess, ExitWatcher.Watched {
    private final OwnedPid leader;
    private final TreeView view; // also the orphan tracker's view of the tree (rememberTree)
    private final TreeMembership membership;
    private final ChildStdio.Streams streams;
    private Optional<ProcessHandle> handle; // guarded by this; null until first asked for (see handle())
    private final ParentDeathSentinel sentinel; // null unless killOnParentDeath
    private final boolean killOnJvmExit;
    private final Duration exitHookGrace;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile ResourceUsage usage;

    LinuxProcess(int pid, int pidfd, ChildStdio.Streams streams, ParentDeathSentinel sentinel, boolean killOnJvmExit,
                 Duration exitHookGrace, String treeToken, CgroupTree cgroup) {
        this.leader = new OwnedPid(pid, pidfd);
        TreeGroup group = new TreeGroup(pid, leader, sentinel == null ? null : sentinel.owned());
        this.streams = streams;
        this.sentinel = sentinel;
        this.killOnJvmExit = killOnJvmExit;
        this.exitHookGrace = exitHookGrace;
        this.view = new TreeView(leader, group, sentinelPid(), treeToken);
        this.membership = cgroup != null ? new CgroupMembership(cgroup, leader)
                : new GroupMembership(leader, group, view, sentinelPid());
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
            MemorySegment resources = ResourceUsages.allocate(arena);
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

    /**
     * Takes the leader from the exit watcher for the wait ({@link ExitWatcher#forget}), polls its
     * pidfd in this thread and reaps it here: no hop to the watcher's thread and back, which costs
     * two context switches at every wait, and the watcher is not woken for this exit at all. If the
     * time is up first (or the thread is interrupted), the leader goes back to the watcher.
     *
     * <p>While this thread holds it, nothing else reaps the leader (only the watcher, or a wait
     * thread, calls {@link #tryReap}), so the pidfd stays open under the poll. A second thread
     * that waits meanwhile finds it gone from the watcher and waits on the exit future, which this
     * one completes. Not in a virtual thread, whose carrier a native poll would pin; nor without a
     * pidfd (ENOSYS, EMFILE at the spawn), where a thread of its own waits for the leader already.
     */
    @Override
    public boolean awaitExitHere(long nanos) throws InterruptedException {
        if (exit.isDone()) {
            return true;
        }
        int pidfd = leader.pidfd();
        if (Thread.currentThread().isVirtual() || pidfd < 0 || !ExitWatcher.instance().forget(pidfd, this)) {
            return exit.isDone();
        }
        try {
            if (PidfdWait.awaitReadable(pidfd, nanos)) {
                // Readable but not reapable happens when the leader thread exited while other
                // threads of the child live on (as the watcher finds it too): it then waits for the rest.
                tryReap();
            }
        } catch (RuntimeException e) {
            // As on the watcher thread: what fails after the reap (the listing for the sentinel)
            // does not fail the wait, whose status is reported; before it, it fails the exit future.
            failed(e);
        } finally {
            if (!leader.isReaped()) {
                ExitWatcher.instance().watch(this); // an exit meanwhile makes the pidfd readable at once: not missed
            }
        }
        return exit.isDone();
    }

    @Override
    public void failed(RuntimeException cause) {
        exit.completeExceptionally(cause); // no effect if the exit was already reported
    }

    private void afterLeaderReaped() {
        if (sentinel != null && !groupHasMembers()) {
            sentinel.kill(); // nothing left to protect; members that outlive the leader keep it until close()
        }
        // The common case is forgotten at once, its end decided without a /proc scan (see
        // TreeMembership#goneWithoutTrace); otherwise close()/terminate() or LiveTrees' pruning
        // forget the tree once nothing of it is left.
        forgetIfOver(membership.goneWithoutTrace());
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

    /** Finds this tree and remembers exactly its processes (the orphan tracker's round). @return the tree */
    List<Stat> rememberTree(Snapshot snapshot) {
        return view.find(snapshot, true);
    }

    /**
     * @return whether the tree is over in {@code snapshot}: the leader reaped, none of its
     *         processes running and none waiting for this JVM to reap it (an adopted escapee);
     *         the sentinel, if any, is then ended too
     */
    boolean isOver(Snapshot snapshot) {
        return endSentinelIf(membership.isOver(snapshot));
    }

    /** Ends the sentinel, if any, once the tree is {@code over}: nothing is left to protect. @return {@code over} */
    private boolean endSentinelIf(boolean over) {
        if (over && sentinel != null) {
            sentinel.kill();
        }
        return over;
    }

    /**
     * What a kill round or listing that finds the tree {@code over} does: the sentinel and the
     * tree's entry in {@link LiveTrees} (the orphan tracker's, the shutdown hook's) go.
     *
     * @return {@code over}
     */
    private boolean forgetIfOver(boolean over) {
        if (endSentinelIf(over)) {
            LiveTrees.remove(this);
        }
        return over;
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
        return membership.signalGroup(signal);
    }

    @Override
    public boolean groupHasMembers() {
        return membership.groupHasMembers();
    }

    @Override
    public boolean treeRuns() {
        boolean runs = membership.treeRuns();
        if (!runs) {
            forgetIfOver(membership.overAtLastListing());
        }
        return runs;
    }

    @Override
    public boolean overAtLastListing() {
        return membership.overAtLastListing();
    }

    @Override
    public boolean awaitListedExit(long nanos) throws InterruptedException {
        return membership.awaitListedExit(nanos);
    }

    @Override
    public boolean awaitListedEnd(long nanos) throws InterruptedException {
        return forgetIfOver(membership.awaitListedEnd(nanos));
    }

    @Override
    public List<ProcessInfo> members() {
        return membership.members();
    }

    @Override
    public List<ProcessInfo> tree() {
        return membership.tree();
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
        TreeMembership.Signalled round = membership.signalTree(signals);
        forgetIfOver(round.over());
        return round.running();
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
        return TreeSignals.toLeader(leader, signal);
    }

    /**
     * Makes {@code stage}, a later stage of the pipeline this process leads (see {@link JoinedStage}),
     * part of its tree until the stage is reaped: listed, signalled and waited for with it, also
     * after the stage moved itself out of the group.
     */
    void addLaterStage(LinuxProcess stage) {
        view.addStage(stage.leader);
    }

    @Override
    public boolean signalLeaderOutsideGroup(Signal signal) {
        return membership.leaderLeftGroup() && signalLeader(signal);
    }

    /**
     * As {@link #signalLeaderOutsideGroup}, for a pipeline's later stage, whose group is not its
     * own but the first stage's ({@link JoinedStage}).
     *
     * @param pgid the group the process was started in
     * @return whether it was sent: the process is unreaped and in another group now
     */
    boolean signalIfOutsideGroup(int pgid, Signal signal) {
        return leader.leftGroup(pgid) && signalLeader(signal);
    }

    @Override
    public Containment containment() {
        return membership.containment();
    }

    @Override
    public Optional<CompletableFuture<Void>> emptied() {
        return membership.emptied();
    }
}
