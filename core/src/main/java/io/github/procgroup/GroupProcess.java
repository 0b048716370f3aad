package io.github.procgroup;

import io.github.procgroup.internal.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running child that leads its own process group, started by {@link GroupProcessBuilder}.
 *
 * <p>What a user of {@code Process} must know: {@link #destroyForcibly()} and {@link #close()}
 * <b>wait</b> until the leader is reaped and no process of the tree runs (the JDK's
 * {@code destroyForcibly()} returns at once), and throw {@link IllegalStateException} if something
 * still runs 10 s after SIGKILL. The streams end at the leader's reap (below); until then,
 * reading stdout to its end blocks for as long as the leader runs, so read on another thread
 * before {@code waitFor(timeout)}, or use {@link GroupProcessBuilder#run(Duration)}. The child's
 * group is not the terminal's foreground group: a child that reads an inherited terminal is
 * stopped with SIGTTIN ({@link #stoppedBy()}) unless started with
 * {@link GroupProcessBuilder#foreground(boolean)}. Native access: see {@link GroupProcessBuilder}.
 *
 * <p>It is a {@link Process}, so code written against {@code Process} works unchanged, but
 * {@link #destroy()} and {@link #destroyForcibly()} signal the whole group, not one pid.
 * {@link #close()} kills the group and reaps the leader, so try-with-resources leaves nothing
 * running. The leader is reaped by procgroup's exit watcher (one thread for all children),
 * never by {@code waitpid(-1)}, so the JDK's own children are left alone.
 *
 * <p>As with the JDK, the streams end when the leader is reaped: what the pipes still buffer stays
 * readable, and their fds are closed (unless {@link GroupProcessBuilder#streamsOutliveLeader(boolean)}).
 * The streams are procgroup's own over the pipes' original fds (close-on-exec, never reopened);
 * a virtual thread blocked reading one does not pin its carrier. Every difference from
 * {@link ProcessBuilder}'s processes is listed in docs/differences.md.
 */
public final class GroupProcess extends Process implements AutoCloseable {
    private static final long TREE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10); // a poll lists /proc
    /** How long SIGKILLed processes may take to die before close() and terminate() give up. */
    private static final Duration TREE_GONE_TIMEOUT = Duration.ofSeconds(10);

    /** How often a wait looks whether the leader was stopped by the terminal. */
    private static final long STOP_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a wait looks for the leader's exit in the waiting thread itself before it waits on the exit future. */
    private static final long WAIT_HERE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ChildProcess child;
    private volatile boolean warnedOfTerminalStop;

    GroupProcess(ChildProcess child) {
        this.child = child;
    }

    /** @return the leader's pid */
    @Override
    public long pid() {
        return child.pid();
    }

    /** {@return the id of the process group the child leads (equal to its pid on POSIX)} */
    public long processGroupId() {
        return child.processGroupId();
    }

    @Override
    public OutputStream getOutputStream() {
        return child.stdin();
    }

    @Override
    public InputStream getInputStream() {
        return child.stdout();
    }

    @Override
    public InputStream getErrorStream() {
        return child.stderr();
    }

    /**
     * Sends a signal to every member of the group (with {@link Containment#CGROUP}: of the
     * child's cgroup, so also to processes that left the group).
     *
     * @param signal the signal
     * @return false if no member was left to receive it
     * @throws java.io.UncheckedIOException wrapping an {@link ErrnoException} (EPERM, say)
     * @throws UnsupportedOperationException if the platform cannot send this signal: the portable
     *                                       fallback ({@link Containment#DESCENDANTS}) sends
     *                                       only {@link Signal#TERM} and {@link Signal#KILL}
     */
    public boolean signal(Signal signal) {
        return child.signalGroup(signal);
    }

    /**
     * Sends a signal to the leader only, through its pidfd where the kernel has them, so the
     * signal can never reach a process that reused the pid.
     *
     * @param signal the signal
     * @return false if the leader has already been reaped
     */
    public boolean signalLeader(Signal signal) {
        return child.signalLeader(signal);
    }

    /**
     * Sends SIGTERM to the whole group, and to the leader itself if it moved to another group (the
     * JDK's reaches the process wherever it is), and returns at once, as the JDK's does. Other
     * processes that left the group are not reached; {@link #terminate(Duration)} and
     * {@link #close()} end the whole tree. Unlike the JDK's {@code destroy()}, it does not close
     * the streams: what the leader writes while it shuts down can still be read, and they end when
     * it is reaped, as at any exit (see {@link GroupProcessBuilder#streamsOutliveLeader(boolean)});
     * {@link #close()} closes them.
     */
    @Override
    public void destroy() {
        signal(Signal.TERM);
        child.signalLeaderOutsideGroup(Signal.TERM); // the JDK's reaches the process wherever its group is
    }

    /**
     * Sends SIGKILL to the whole group (and to the leader itself if it moved to another group) and
     * <b>blocks</b> until the leader is reaped and nothing of the tree runs (the JDK's returns at
     * once and never throws; waiting is what procgroup promises, so that nothing of the tree is
     * left when it returns). Each round of the wait SIGKILLs what it finds of the tree, so a process
     * forked at the last moment dies too.
     * Waiting is not interruptible; an interrupt is kept for the caller. It does not close the
     * streams, as {@link #destroy()} does not; {@link #close()} also closes them and, before the
     * first signal, looks for escapees outside the group whose parent still runs.
     *
     * @return this process
     * @throws IllegalStateException if processes of the tree still run 10 s after SIGKILL (a
     *                               process stuck in the kernel, state D), which the JDK's never throws
     */
    @Override
    public GroupProcess destroyForcibly() {
        signal(Signal.KILL);
        child.signalLeaderOutsideGroup(Signal.KILL);
        awaitTreeGoneUninterruptibly();
        return this;
    }

    /**
     * @return true on POSIX: {@link #destroy()} sends SIGTERM, which the child may handle; false on
     *         Windows, where it is a CTRL_BREAK only for a console program sharing the JVM's
     *         console and a forcible end otherwise (as the JDK's Windows {@code Process} answers)
     */
    @Override
    public boolean supportsNormalTermination() {
        return child.supportsNormalTermination();
    }

    /**
     * Ends the whole tree politely, then forcibly: SIGTERM (and SIGCONT, so stopped processes see
     * it) to the group and to every process of the tree outside it (see {@link #tree()}),
     * then up to {@code grace} for the leader to exit and the tree to empty, then SIGKILL to
     * whatever is left. Returns once the leader is reaped and no process of the tree runs.
     *
     * <p>An interrupt (also one pending when it is called) cuts the grace short, never the end of
     * the tree: the tree is SIGKILLed and waited for as without it, and only then is the
     * {@code InterruptedException} thrown, so that no member that ignores SIGTERM keeps running.
     *
     * @param grace how long the tree has to exit after SIGTERM
     * @return the leader's exit status
     * @throws InterruptedException  if interrupted during the grace; thrown once the tree is gone
     * @throws IllegalStateException if processes of the tree still run 10 s after SIGKILL (a
     *                               process stuck in the kernel, state D); the message lists them
     */
    public ExitStatus terminate(Duration grace) throws InterruptedException {
        return terminate(Signal.TERM, grace);
    }

    /**
     * As {@link #terminate(Duration)}, with {@code signal} in place of SIGTERM as the polite request
     * (what GNU {@code timeout -s} chooses): {@code signal} and SIGCONT to the whole tree, up to
     * {@code grace} for it to exit, then SIGKILL to whatever is left.
     *
     * @param signal the first signal, for example {@link Signal#INT} or {@link Signal#HUP}
     * @param grace  how long the tree has to exit after {@code signal}
     * @return the leader's exit status
     * @throws InterruptedException  if interrupted while waiting; the tree may still be running
     * @throws IllegalStateException if processes of the tree still run 10 s after SIGKILL
     */
    public ExitStatus terminate(Signal signal, Duration grace) throws InterruptedException {
        if (signal == Signal.TERM) {
            child.requestStop(); // the backend's polite request (TERM + CONT on POSIX, CTRL_BREAK on Windows)
        } else {
            child.signalTree(signal);
            child.signalTree(Signal.CONT); // so that stopped processes see the signal
        }
        InterruptedException interrupted = null;
        boolean runs = true;
        boolean ended = false; // the end proven by events, without a listing (see ChildProcess#awaitListedEnd)
        try {
            long graceNanos = saturatedNanos(grace);
            long start = System.nanoTime();
            awaitExit(grace);
            Optional<CompletableFuture<Void>> emptied = child.emptied();
            ended = child.awaitListedEnd(graceNanos - (System.nanoTime() - start));
            runs = !ended;
            while (!ended && System.nanoTime() - start < graceNanos && (runs = child.treeRuns())) {
                long wait = graceNanos - (System.nanoTime() - start);
                if (emptied.isPresent()) {
                    awaitEmptied(emptied.get(), wait); // woken by the kernel's event, not by a poll
                } else if (!child.awaitListedExit(wait)) { // woken by each process's exit where it can be
                    TimeUnit.NANOSECONDS.sleep(Math.min(TREE_POLL_NANOS, wait));
                }
            }
        } catch (InterruptedException e) {
            interrupted = e; // the grace is cut short, but the tree still ends below
        }
        if (runs) {
            child.kill();
        }
        // Else the last listing found nothing running; if it also found the tree over, there is
        // nothing left that a later listing could find (nothing runs to fork it), so none is made.
        if (!ended && (runs || !child.overAtLastListing())) {
            awaitTreeGoneUninterruptibly();
        }
        if (interrupted != null) {
            Thread.interrupted(); // thrown, so cleared, as every InterruptedException leaves it
            throw interrupted;
        }
        return awaitExit();
    }

    /**
     * SIGKILLs the tree until none of it runs: each round lists the tree again, so a process
     * forked after the previous listing is killed too.
     */
    private void awaitTreeGone() throws InterruptedException {
        long deadline = System.nanoTime() + TREE_GONE_TIMEOUT.toNanos();
        Optional<CompletableFuture<Void>> emptied = child.emptied();
        // What the caller's signal found running is waited for first, by its pidfds. Where that
        // proves the end (nothing created since that listing, each process of it gone; for a
        // cgroup, the kernel's count read once they are gone), no listing follows; otherwise the
        // listing below usually finds nothing left, not processes still dying.
        if (child.awaitListedEnd(deadline - System.nanoTime())) {
            return;
        }
        while (child.kill() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("process group " + processGroupId() + ": still running "
                        + TREE_GONE_TIMEOUT.toSeconds() + " s after SIGKILL: " + child.tree());
            }
            if (emptied.isPresent()) {
                awaitEmptied(emptied.get(), deadline - System.nanoTime());
            } else if (!child.awaitListedExit(deadline - System.nanoTime())) {
                TimeUnit.NANOSECONDS.sleep(TREE_POLL_NANOS / 2);
            }
        }
    }

    /** Waits at most {@code nanos} for the kernel to say the tree is empty (a cgroup's populated 0). */
    private static void awaitEmptied(CompletableFuture<Void> emptied, long nanos) throws InterruptedException {
        try {
            emptied.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException notYet) {
            // The caller's loop checks its deadline.
        } catch (ExecutionException watchFailed) {
            // The watch failed: the caller's loop decides by listing, at the poll period.
            TimeUnit.NANOSECONDS.sleep(Math.min(TREE_POLL_NANOS, Math.max(0, nanos)));
        }
    }

    /**
     * Kills the whole tree with SIGKILL (the group, and the processes of the tree outside it),
     * waits until the leader is reaped and no process of the tree runs, and closes the streams.
     * Waiting is not interruptible; an interrupt is kept for the caller. It returns within about
     * 10 s whatever the tree does (see below), and calling it again is harmless.
     *
     * <p>On JDK 26 and later, {@link Process} is itself {@link java.io.Closeable}, and this method
     * overrides {@code Process.close()} (it throws no {@code IOException}): the JDK's closes the
     * streams and then destroys the direct child only, this one kills the whole tree first. On
     * JDK 22-25 it implements {@link AutoCloseable}. Either way try-with-resources on a
     * {@code GroupProcess} (or on a {@code Process} variable holding one, from JDK 26) ends the tree.
     *
     * @throws IllegalStateException if processes of the tree still run 10 s after SIGKILL (the
     *                               streams are closed all the same)
     */
    @Override
    public void close() {
        try {
            child.kill();
            awaitTreeGoneUninterruptibly();
        } finally {
            closeQuietly(getOutputStream());
            closeQuietly(getInputStream());
            closeQuietly(getErrorStream());
        }
    }

    /** Waits for the leader's reap and for the tree to be gone; an interrupt is kept for the caller. */
    private void awaitTreeGoneUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                awaitExit();
                awaitTreeGone();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Tells how this child's tree is held together.
     *
     * @return the containment this child actually got: {@link Containment#CGROUP} if it runs in a
     *         leaf cgroup of its own, {@link Containment#GROUP} if in a process group only (also
     *         when {@link Containment#AUTO} fell back), {@link Containment#JOB_OBJECT} on Windows,
     *         {@link Containment#DESCENDANTS} with the portable fallback (see {@code docs/platforms.md})
     */
    public Containment containment() {
        return child.containment();
    }

    /**
     * Lists the running members of the group, from /proc (with {@link Containment#CGROUP}: of the
     * child's cgroup, from its cgroup.procs). procgroup's own helper (see
     * {@link GroupProcessBuilder#killOnParentDeath(boolean)}) is left out.
     *
     * @return a snapshot, in no particular order
     */
    public List<ProcessInfo> members() {
        return child.members();
    }

    /**
     * Lists the running processes of the tree, from /proc (the leader included while it runs; unlike
     * the JDK's {@link #descendants()}, which follows parent links only): the members of the group, every process
     * descending from them by parent links (also one that left the group with {@code setsid}
     * while its parent runs), and, where this JVM is a {@link Subreaper}, escapees that were seen
     * in the tree before their parent died and were re-parented to this JVM, with their own
     * descendants. Without a subreaper, an escapee whose parent has died is re-parented to init and
     * can no longer be traced: it is not listed, and {@link #close()} cannot reach it. With
     * {@link Containment#CGROUP} the tree is exactly the child's cgroup: no process of it can be
     * outside, however it escaped its group.
     *
     * @return a snapshot, in no particular order
     */
    public List<ProcessInfo> tree() {
        return child.tree();
    }

    private static void closeQuietly(AutoCloseable stream) {
        try {
            stream.close();
        } catch (Exception ignored) {
            // Closing our end of a pipe to a dead child: nothing useful to report.
        }
    }

    /**
     * Waits for the leader to exit and be reaped. While it waits, it looks once a second whether
     * the leader was stopped by SIGTTIN or SIGTTOU (it read the terminal, or changed its modes,
     * from a background group; see {@link GroupProcessBuilder#foreground(boolean)}) and if so logs
     * one warning, on the {@code io.github.procgroup} {@link System.Logger}: such a child waits
     * forever. {@link #waitFor()} and the other waits do the same.
     *
     * @return the decoded status
     * @throws InterruptedException if interrupted while waiting
     */
    public ExitStatus awaitExit() throws InterruptedException {
        return awaitExit(Duration.ofNanos(Long.MAX_VALUE)).orElseThrow();
    }

    /**
     * Waits at most {@code timeout} for the leader to exit and be reaped, watching for a stop by
     * the terminal as {@link #awaitExit()} does.
     *
     * @param timeout how long to wait
     * @return the decoded status, or empty if the leader still runs
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<ExitStatus> awaitExit(Duration timeout) throws InterruptedException {
        long nanos = saturatedNanos(timeout);
        long deadline = System.nanoTime() + nanos; // wraps safely: only differences are compared
        // Most children a caller waits for end soon: the first moments are waited in this thread
        // where the backend can (see ChildProcess#awaitExitHere), the rest on the exit future, which
        // is complete by then if the leader was reaped here.
        child.awaitExitHere(Math.min(nanos, WAIT_HERE_NANOS));
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return Optional.of(child.exit().get(Math.max(0, Math.min(left, STOP_CHECK_NANOS)), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                if (left <= STOP_CHECK_NANOS) {
                    return Optional.empty();
                }
                warnIfStoppedByTerminal();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /**
     * {@return the signal that stopped the leader, if it is stopped now (SIGSTOP, SIGTSTP, or
     * SIGTTIN and SIGTTOU: it used the terminal from a background group, see {@link
     * GroupProcessBuilder#foreground(boolean)}); empty while it runs and once reaped}
     */
    public Optional<Signal> stoppedBy() {
        int number = child.stopSignal();
        if (number == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Signal.ofNumber(number));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    private void warnIfStoppedByTerminal() {
        if (warnedOfTerminalStop) {
            return;
        }
        Optional<Signal> stop = stoppedBy();
        if (stop.isPresent() && (stop.get() == Signal.TTIN || stop.get() == Signal.TTOU)) {
            warnedOfTerminalStop = true;
            Log.LOGGER.log(System.Logger.Level.WARNING, "pid " + pid() + " (" + child.handle()
                    .flatMap(h -> h.info().command()).orElse("?") + ") is stopped by " + stop.get().signalName()
                    + ": it used the terminal from its own, background process group, and waits until continued. "
                    + "Start it with GroupProcessBuilder.foreground(true) (procgroup --foreground), "
                    + "or give it a pipe or a file as stdin");
        }
    }

    /**
     * @return {@code d} in nanoseconds, 0 if negative, {@link Long#MAX_VALUE} if longer than that
     *         (about 292 years: {@code ChronoUnit.FOREVER.getDuration()} means "no limit")
     */
    private static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** {@return the leader's decoded status if it has exited and been reaped, else empty} */
    public Optional<ExitStatus> exitStatus() {
        CompletableFuture<ExitStatus> exit = child.exit();
        return exit.isDone() && !exit.isCompletedExceptionally() ? Optional.of(exit.join()) : Optional.empty();
    }

    /** {@return the leader's CPU time and peak memory, once it has been reaped} */
    public Optional<ResourceUsage> resourceUsage() {
        return child.resourceUsage();
    }

    /** @return the leader's exit code, or 128 plus the number of the signal that ended it */
    @Override
    public int waitFor() throws InterruptedException {
        return awaitExit().shellCode();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return awaitExit(Duration.ofNanos(unit.toNanos(timeout))).isPresent();
    }

    /**
     * @return the leader's exit code, or 128 plus the number of the signal that ended it
     * @throws IllegalThreadStateException if the leader has not exited yet
     */
    @Override
    public int exitValue() {
        // No lambda for the exception: its first call would spin a class even when the status is there.
        Optional<ExitStatus> status = exitStatus();
        if (status.isEmpty()) {
            throw new IllegalThreadStateException("process hasn't exited");
        }
        return status.get().shellCode();
    }

    /** @return true until the leader has exited and been reaped */
    @Override
    public boolean isAlive() {
        return !child.exit().isDone();
    }

    /**
     * @return a future completed with this process once the leader is reaped; dependent
     *         actions run asynchronously, never on procgroup's watcher thread
     */
    @Override
    public CompletableFuture<Process> onExit() {
        return child.exit().handleAsync((status, failure) -> this);
    }

    /**
     * The leader's decoded status, as a future: {@link #onExit()} must complete with the
     * {@code Process} (its type is the JDK's), so this is the way to the {@link ExitStatus}
     * without a cast or a blocking call.
     *
     * @return a new future, completed with the leader's status once it is reaped (exceptionally,
     *         with an {@link ErrnoException}, if something else in the JVM reaped it first);
     *         completing or cancelling it changes nothing for this process or other callers, and
     *         dependent actions run asynchronously, never on procgroup's watcher thread
     */
    public CompletableFuture<ExitStatus> onExitStatus() {
        return child.exit().thenApplyAsync(status -> status);
    }

    /**
     * @return the handle of the leader, made while it is unreaped (so it cannot name a process that
     *         reused the pid); asked for first after the reap, a handle of the dead leader
     *         ({@code isAlive()} false, no information)
     * @throws UnsupportedOperationException if the JDK could not make a handle
     */
    @Override
    public ProcessHandle toHandle() {
        Optional<ProcessHandle> handle = child.handle();
        if (handle.isEmpty()) {
            throw new UnsupportedOperationException("no process handle for pid " + pid());
        }
        return handle.get();
    }

    /**
     * @return as the JDK's {@code Process[pid=42, exitValue="not exited"]}, with the group id and,
     *         once reaped, the decoded status: {@code GroupProcess[pid=42, pgid=42, exitValue=137 (killed by SIGKILL)]}
     */
    @Override
    public String toString() {
        return "GroupProcess[pid=" + pid() + ", pgid=" + processGroupId() + ", exitValue="
                + exitStatus().map(s -> s.shellCode() + " (" + s + ")").orElse("\"not exited\"") + "]";
    }

    /** The logger, in a holder: getting it loads the JDK's logging, which only a warning needs. */
    private static final class Log {
        static final System.Logger LOGGER = System.getLogger("io.github.procgroup");
    }
}
