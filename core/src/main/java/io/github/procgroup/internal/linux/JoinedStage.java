package io.github.procgroup.internal.linux;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.ResourceUsage;
import io.github.procgroup.Signal;
import io.github.procgroup.internal.ChildProcess;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A later stage of a pipeline: a process of its own (pid, streams, exit status), in the group
 * that the first stage leads. Everything about the group and the tree is the leader's: signalling
 * the group, listing or ending the tree from any stage acts on the whole pipeline.
 */
final class JoinedStage implements ChildProcess {
    private final LinuxProcess self;
    private final LinuxProcess leader;

    JoinedStage(LinuxProcess self, LinuxProcess leader) {
        this.self = self;
        this.leader = leader;
    }

    @Override
    public long pid() {
        return self.pid();
    }

    @Override
    public Optional<ProcessHandle> handle() {
        return self.handle();
    }

    @Override
    public long processGroupId() {
        return leader.processGroupId();
    }

    @Override
    public OutputStream stdin() {
        return self.stdin();
    }

    @Override
    public InputStream stdout() {
        return self.stdout();
    }

    @Override
    public InputStream stderr() {
        return self.stderr();
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return self.exit();
    }

    @Override
    public Optional<ResourceUsage> resourceUsage() {
        return self.resourceUsage();
    }

    @Override
    public boolean signalGroup(Signal signal) {
        return leader.signalGroup(signal);
    }

    @Override
    public boolean groupHasMembers() {
        return leader.groupHasMembers();
    }

    @Override
    public boolean treeRuns() {
        return !self.exit().isDone() || leader.treeRuns();
    }

    @Override
    public List<ProcessInfo> members() {
        return leader.members();
    }

    @Override
    public List<ProcessInfo> tree() {
        return leader.tree();
    }

    @Override
    public int requestStop() {
        return leader.requestStop();
    }

    @Override
    public int kill() {
        return leader.kill();
    }

    @Override
    public int signalTree(Signal signal) {
        return leader.signalTree(signal);
    }

    @Override
    public boolean signalLeader(Signal signal) {
        return self.signalLeader(signal); // this stage's own process, through its pidfd
    }

    /** This stage's own process, if it moved itself out of the pipeline's group, where the group's signal misses it. */
    @Override
    public boolean signalLeaderOutsideGroup(Signal signal) {
        return self.signalIfOutsideGroup((int) leader.processGroupId(), signal);
    }
}
