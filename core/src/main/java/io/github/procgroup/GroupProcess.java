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
 * still runs 10 s after SIGKILL. The streams hold their pipes' fds until they, or this process,
 * are closed: close it (try-with-resources). Reading stdout to its end blocks for as long as
 * any process of the tree holds the pipe, so read on another thread before
 * {@code waitFor(timeout)}, or use {@link GroupProcessBuilder#run(Duration)}. The child's group
 * is not the terminal's foreground group: a child that reads an inherited terminal is stopped
 * with SIGTTIN. Native access: see {@link GroupProcessBuilder}.
 *
 * <p>It is a {@link Process}, so code written against {@code Process} works unchanged, but
 * {@link #destroy()} and {@link #destroyForcibly()} signal the whole group, not one pid.
 * {@link #close()} kills the group and reaps the leader, so try-with-resources leaves nothing
 * running. The leader is reaped by procgroup's exit watcher (one thread for all children),
 * never by {@code waitpid(-1)}, so the JDK's own children are left alone.
 */
public final class GroupProcess extends Process implements AutoCloseable {
    private static final long TREE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10); // a poll lists /proc
    /** How long SIGKILLed processes may take to die before close() and terminate() give up. */
    private static final Duration TREE_GONE_TIMEOUT = Duration.ofSeconds(10);

    private final ChildProcess child;
    private final ProcessHandle handle;

    GroupProcess(ChildProcess child) {
        this.child = child;
        // Taken by the backend before the leader could be reaped: afterwards its pid may name another process.
        this.handle = child.handle().orElse(null);
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
     * Sends a signal to every member of the group.
     *
     * @param signal the signal
     * @return false if no member was left to receive it
     * @throws java.io.UncheckedIOException wrapping an {@link ErrnoException} (EPERM, say)
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
     * Sends SIGTERM to the whole group and returns at once, as the JDK's does. Processes that left
     * the group are not reached; {@link #terminate(Duration)} and {@link #close()} end the whole
     * tree. Unlike the JDK's {@code destroy()}, the streams stay open,
     * so what the group writes while it shuts down can still be read; {@link #close()} closes them.
     */
    @Override
    public void destroy() {
        signal(Signal.TERM);
    }

    /**
     * Sends SIGKILL to the whole group and returns once the leader is reaped and nothing of the
     * tree runs (the JDK's returns at once; waiting is what procgroup promises). Each round of the
     * wait SIGKILLs what it finds of the tree, so a process forked at the last moment dies too.
     * Waiting is not interruptible; an interrupt is kept for the caller. The streams stay open, as
     * with {@link #destroy()}; {@link #close()} also closes them and, before the first signal,
     * looks for escapees outside the group whose parent still runs.
     *
     * @return this process
     * @throws IllegalStateException if processes of the tree still run 10 s after SIGKILL
     */
    @Override
    public GroupProcess destroyForcibly() {
        signal(Signal.KILL);
        awaitTreeGoneUninterruptibly();
        return this;
    }

    /** @return true: {@link #destroy()} sends SIGTERM, which the child may handle */
    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    /**
     * Ends the whole tree politely, then forcibly: SIGTERM (and SIGCONT, so stopped processes see
     * it) to the group and to every process of the tree outside it (see {@link #tree()}),
     * then up to {@code grace} for the leader to exit and the tree to empty, then SIGKILL to
     * whatever is left. Returns once the leader is reaped and no process of the tree runs.
     *
     * @param grace how long the tree has to exit after SIGTERM
     * @return the leader's exit status
     * @throws InterruptedException  if interrupted while waiting; the tree may still be running
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
        long graceNanos = saturatedNanos(grace);
        long start = System.nanoTime();
        awaitExit(grace);
        while (System.nanoTime() - start < graceNanos && child.treeRuns()) {
            TimeUnit.NANOSECONDS.sleep(Math.min(TREE_POLL_NANOS, graceNanos - (System.nanoTime() - start)));
        }
        child.kill();
        ExitStatus status = awaitExit();
        awaitTreeGone();
        return status;
    }

    /**
     * SIGKILLs the tree until none of it runs: each round lists the tree again, so a process
     * forked after the previous listing is killed too.
     */
    private void awaitTreeGone() throws InterruptedException {
        long deadline = System.nanoTime() + TREE_GONE_TIMEOUT.toNanos();
        while (child.kill() > 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("process group " + processGroupId() + ": still running "
                        + TREE_GONE_TIMEOUT.toSeconds() + " s after SIGKILL: " + child.tree());
            }
            TimeUnit.NANOSECONDS.sleep(TREE_POLL_NANOS / 2);
        }
    }

    /**
     * Kills the whole tree with SIGKILL (the group, and the processes of the tree outside it),
     * waits until the leader is reaped and no process of the tree runs, and closes the streams.
     * Waiting is not interruptible; an interrupt is kept for the caller.
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
     * Lists the running members of the group, from /proc. procgroup's own helper (see
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
     * can no longer be traced: it is not listed, and {@link #close()} cannot reach it.
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
     * Waits for the leader to exit and be reaped.
     *
     * @return the decoded status
     * @throws InterruptedException if interrupted while waiting
     */
    public ExitStatus awaitExit() throws InterruptedException {
        try {
            return child.exit().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Waits at most {@code timeout} for the leader to exit and be reaped.
     *
     * @param timeout how long to wait
     * @return the decoded status, or empty if the leader still runs
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<ExitStatus> awaitExit(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(child.exit().get(saturatedNanos(timeout), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
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
        return exitStatus().orElseThrow(() -> new IllegalThreadStateException("process hasn't exited")).shellCode();
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
     * @return the handle of the leader, taken at start (so it cannot name a process that reused the pid)
     * @throws UnsupportedOperationException if the JDK could not make a handle at start
     */
    @Override
    public ProcessHandle toHandle() {
        if (handle == null) {
            throw new UnsupportedOperationException("no process handle for pid " + pid());
        }
        return handle;
    }

    @Override
    public String toString() {
        return "GroupProcess[pid=" + pid() + ", pgid=" + processGroupId() + ", "
                + exitStatus().map(ExitStatus::toString).orElse("alive") + "]";
    }
}
