package io.github.procgroup.internal;

import io.github.procgroup.Containment;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.ResourceUsage;
import io.github.procgroup.Signal;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A started child as a platform backend controls it; {@code GroupProcess} is its public face. */
public interface ChildProcess {

    /** @return the child's pid */
    long pid();

    /**
     * @return the JDK's handle of the child, made while it is unreaped (a reaped pid has none; a
     *         backend that made none by the reap answers a handle of the dead child); empty only
     *         if the platform could not make one
     */
    Optional<ProcessHandle> handle();

    /** @return the id of the group (or job) the child leads */
    long processGroupId();

    /** @return the stream that feeds the child's stdin (a null stream unless piped) */
    OutputStream stdin();

    /** @return the child's stdout (a null stream unless piped) */
    InputStream stdout();

    /** @return the child's stderr (a null stream unless piped) */
    InputStream stderr();

    /**
     * @return completed, by the backend's exit watcher, once the leader has exited and been
     *         reaped; nothing slow may depend on it directly (the watcher thread runs dependents)
     */
    CompletableFuture<ExitStatus> exit();

    /** @return what the leader used, once it has been reaped */
    Optional<ResourceUsage> resourceUsage();

    /**
     * Sends a signal to every member of the group.
     *
     * @param signal the signal
     * @return false if the group had no member left to signal
     */
    boolean signalGroup(Signal signal);

    /** @return whether any process the user started is still running in the group (or job) */
    boolean groupHasMembers();

    /** @return whether the leader is unreaped or any process of the tree still runs */
    boolean treeRuns();

    /**
     * @return true if the last {@link #treeRuns} that answered false also found the tree over (the
     *         leader reaped, nothing of the tree running or left for this JVM to reap) and did
     *         what a kill round finding nothing does: the caller need not list the tree again.
     *         False where the backend does not know, which costs the caller one more round
     */
    default boolean overAtLastListing() {
        return false;
    }

    /** @return the running processes of the group, procgroup's own helpers left out */
    List<ProcessInfo> members();

    /**
     * @return the running processes of the tree: the members, their descendants, and escapees
     *         that left the group but can still be traced to it
     */
    List<ProcessInfo> tree();

    /**
     * Asks the whole tree to end: every process of it gets the platform's polite request (POSIX:
     * SIGTERM, then SIGCONT so that a stopped process sees it; Windows: the job's console break,
     * as the backend documents). Returns at once.
     *
     * @return how many processes of the tree were running when it was listed
     */
    int requestStop();

    /**
     * Kills the whole tree at once (POSIX: SIGKILL, to the group first, which needs no fd, then to
     * the processes of the tree outside it; Windows: the job is terminated). Returns at once.
     *
     * @return how many processes of the tree were running when it was listed
     */
    int kill();

    /**
     * Sends a signal to the group and to every running process of the tree outside it.
     *
     * @param signal the signal
     * @return how many processes of the tree were running when it was listed, just before the signal
     */
    int signalTree(Signal signal);

    /**
     * Waits, by an event where the backend has one, until the processes that the last listing of
     * the tree ({@link #signalTree}, {@link #kill}, {@link #requestStop}, {@link #treeRuns}) found
     * running have exited, or {@code nanos} have passed. It proves nothing by itself: the caller
     * lists the tree again afterwards.
     *
     * @param nanos how long to wait at most
     * @return false if the backend cannot wait by event (then the caller waits by the clock)
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    default boolean awaitListedExit(long nanos) throws InterruptedException {
        return false;
    }

    /**
     * As {@link #awaitListedExit}, and then decides, where the backend can do so exactly without
     * listing the tree again, whether the whole tree is over: nothing was created since the last
     * listing began, that listing held every process of the tree, and each has exited.
     *
     * @param nanos how long to wait at most
     * @return true if the tree is certainly over (the leader reaped too); false if the caller must
     *         list the tree again to know
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    default boolean awaitListedEnd(long nanos) throws InterruptedException {
        return false;
    }

    /**
     * Waits in the calling thread, for at most {@code nanos}, for the leader to exit, and reaps
     * it there, where the backend can do so more directly than through {@link #exit()}.
     *
     * @param nanos how long to wait at most
     * @return true if the leader is reaped now (the exit future is complete); false if it still
     *         runs or this thread cannot wait here: the caller then waits on {@link #exit()}
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    default boolean awaitExitHere(long nanos) throws InterruptedException {
        return exit().isDone();
    }

    /** @return the number of the signal that stopped the leader, if it is stopped now, else 0 */
    default int stopSignal() {
        return 0;
    }

    /**
     * Sends a signal to the leader if it is no member of its group any more (it moved itself to
     * another group of its session), where {@link #signalGroup} does not reach it.
     *
     * @param signal the signal
     * @return whether it was sent
     */
    default boolean signalLeaderOutsideGroup(Signal signal) {
        return false;
    }

    /**
     * Sends a signal to the leader only.
     *
     * @param signal the signal
     * @return false if the leader has already been reaped
     */
    boolean signalLeader(Signal signal);

    /**
     * @return whether the backend's polite request ({@code destroy()}) is one the child can handle;
     *         false where it may be a forcible end (Windows: no console shared with the child)
     */
    default boolean supportsNormalTermination() {
        return true;
    }

    /** @return the containment this child actually got */
    default Containment containment() {
        return Containment.GROUP;
    }

    /**
     * @return where the kernel says when the tree is empty (a cgroup's {@code populated 0}): a
     *         future completed then, so a waiter needs no polling; empty where the tree is only
     *         known by listing processes
     */
    default Optional<CompletableFuture<Void>> emptied() {
        return Optional.empty();
    }
}
