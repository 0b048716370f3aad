package io.github.procgroup.internal.portable;

import io.github.procgroup.Containment;
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
 * A child started by {@link ProcessBuilder}, its tree found through {@link ProcessHandle}
 * ({@link DescendantTree}). The JDK can only ask a process to end ({@code destroy}, SIGTERM on
 * POSIX) or end it ({@code destroyForcibly}, SIGKILL), so {@link Signal#TERM} and
 * {@link Signal#KILL} are the only signals; any other is refused with an
 * {@link UnsupportedOperationException} naming it. There is no process group: the "group" is
 * the leader and its descendants, and {@link #processGroupId()} is the leader's pid.
 */
final class PortableProcess implements ChildProcess {
    private final Process process;
    private final ProcessHandle leader;
    private final DescendantTree tree;
    private final boolean killOnJvmExit;
    private final CompletableFuture<ExitStatus> exit;
    /** The last of TERM or KILL procgroup sent to the leader, to decode its exit value. */
    private volatile Signal sentToLeader;

    PortableProcess(Process process, boolean killOnJvmExit) {
        this.process = process;
        this.leader = process.toHandle();
        this.tree = new DescendantTree(leader);
        this.killOnJvmExit = killOnJvmExit;
        this.exit = process.onExit().thenApply(exited -> decode(exited.exitValue()));
    }

    /**
     * The JDK folds "killed by signal n" into the exit value 128 + n on POSIX, so the two cannot be
     * told apart in general. When procgroup itself sent the leader TERM or KILL and the value is
     * 128 plus that signal's number, it is reported as death by that signal (as a shell would
     * read it); any other value as an exit code.
     */
    private ExitStatus decode(int value) {
        Signal sent = sentToLeader;
        if (sent != null && value == 128 + sent.number()) {
            return ExitStatus.killedBy(sent.number(), false);
        }
        return ExitStatus.exited(value);
    }

    boolean killOnJvmExit() {
        return killOnJvmExit;
    }

    @Override
    public long pid() {
        return leader.pid();
    }

    @Override
    public Optional<ProcessHandle> handle() {
        return Optional.of(leader);
    }

    /** @return the leader's pid: the fallback puts the child in no group of its own */
    @Override
    public long processGroupId() {
        return leader.pid();
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    /** @return empty: the JDK reports no resource usage of a reaped child */
    @Override
    public Optional<ResourceUsage> resourceUsage() {
        return Optional.empty();
    }

    @Override
    public boolean signalGroup(Signal signal) {
        requireTermOrKill(signal);
        List<ProcessHandle> members = tree.members();
        sendAll(members, signal);
        return !members.isEmpty();
    }

    @Override
    public boolean groupHasMembers() {
        return !tree.members().isEmpty();
    }

    @Override
    public boolean treeRuns() {
        return !exit.isDone() || !tree.all().isEmpty();
    }

    @Override
    public List<ProcessInfo> members() {
        return tree.members().stream().map(DescendantTree::describe).toList();
    }

    @Override
    public List<ProcessInfo> tree() {
        return tree.all().stream().map(DescendantTree::describe).toList();
    }

    /**
     * {@link Signal#CONT} (sent by {@code terminate} so that stopped processes see the TERM) has
     * no JDK equivalent and is skipped: a stopped process then only ends at the KILL.
     */
    @Override
    public int signalTree(Signal signal) {
        List<ProcessHandle> processes = tree.all();
        if (signal != Signal.CONT) {
            requireTermOrKill(signal);
            sendAll(processes, signal);
        }
        return processes.size();
    }

    /** Asks every process of the tree to end ({@code destroy}: SIGTERM on POSIX; no SIGCONT). */
    @Override
    public int requestStop() {
        return signalTree(Signal.TERM);
    }

    /** Ends every process of the tree ({@code destroyForcibly}: SIGKILL on POSIX). */
    @Override
    public int kill() {
        return signalTree(Signal.KILL);
    }

    @Override
    public boolean signalLeader(Signal signal) {
        requireTermOrKill(signal);
        if (exit.isDone()) {
            return false;
        }
        send(leader, signal);
        return true;
    }

    /** @return what the JDK's {@code Process} answers (true on POSIX, false on Windows) */
    @Override
    public boolean supportsNormalTermination() {
        return process.supportsNormalTermination();
    }

    @Override
    public Containment containment() {
        return Containment.DESCENDANTS;
    }

    /**
     * One process at a time (there is no group to signal at once), parents before children: the
     * leader first, then its descendants as the JDK lists them (breadth first). A shell leader
     * waiting for its children then dies of the signal itself, rather than exiting 0 from
     * {@code wait} because a child died first.
     */
    private void sendAll(List<ProcessHandle> processes, Signal signal) {
        if (processes.contains(leader)) {
            send(leader, signal);
        }
        processes.stream().filter(process -> !process.equals(leader)).forEach(process -> send(process, signal));
    }

    private void send(ProcessHandle target, Signal signal) {
        if (target.equals(leader)) {
            sentToLeader = signal;
            // Process's own methods: the JDK then knows the exit is expected and keeps its reaper in charge.
            if (signal == Signal.KILL) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
        } else if (signal == Signal.KILL) {
            target.destroyForcibly();
        } else {
            target.destroy();
        }
    }

    private static void requireTermOrKill(Signal signal) {
        if (signal != Signal.TERM && signal != Signal.KILL) {
            throw new UnsupportedOperationException("SIG" + signal + " cannot be sent by procgroup's portable backend "
                    + "(the JDK can only destroy or destroyForcibly a process): only TERM and KILL are supported");
        }
    }
}
