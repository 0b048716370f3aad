package io.github.procgroup;

import io.github.procgroup.internal.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running child that leads its own process group, started by {@link GroupProcessBuilder}.
 *
 * <p>It is a {@link Process}, so code written against {@code Process} works unchanged, but
 * {@link #destroy()} and {@link #destroyForcibly()} signal the whole group, not one pid.
 * {@link #close()} kills the group and reaps the leader, so try-with-resources leaves nothing
 * running. The leader is reaped by procgroup's exit watcher (one thread for all children),
 * never by {@code waitpid(-1)}, so the JDK's own children are left alone.
 */
public final class GroupProcess extends Process implements AutoCloseable {
    private static final long GROUP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

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

    /** @return the id of the process group the child leads (equal to its pid on POSIX) */
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
     * Sends SIGTERM to the whole group. Unlike the JDK's {@code destroy()}, the streams stay open,
     * so what the group writes while it shuts down can still be read; {@link #close()} closes them.
     */
    @Override
    public void destroy() {
        signal(Signal.TERM);
    }

    /**
     * Sends SIGKILL to the whole group; the streams stay open, as with {@link #destroy()}.
     *
     * @return this process
     */
    @Override
    public GroupProcess destroyForcibly() {
        signal(Signal.KILL);
        return this;
    }

    /** @return true: {@link #destroy()} sends SIGTERM, which the child may handle */
    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    /**
     * Ends the group politely, then forcibly: SIGTERM (and SIGCONT, so stopped members see it)
     * to the group, then up to {@code grace} for the leader to exit and the group to empty,
     * then SIGKILL to whatever is left; returns once the leader is reaped.
     *
     * @param grace how long the group has to exit after SIGTERM
     * @return the leader's exit status
     * @throws InterruptedException if interrupted while waiting; the group may still be running
     */
    public ExitStatus terminate(Duration grace) throws InterruptedException {
        signal(Signal.TERM);
        signal(Signal.CONT);
        long deadline = System.nanoTime() + grace.toNanos();
        awaitExit(grace);
        while (groupRuns() && System.nanoTime() - deadline < 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(GROUP_POLL_NANOS, deadline - System.nanoTime()));
        }
        signal(Signal.KILL);
        return awaitExit();
    }

    private boolean groupRuns() {
        return isAlive() || child.groupHasMembers();
    }

    /**
     * Kills the whole group with SIGKILL, waits until the leader is reaped and closes the
     * streams. Waiting is not interruptible; an interrupt is kept for the caller.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        signal(Signal.KILL);
        while (true) {
            try {
                awaitExit();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        closeQuietly(getOutputStream());
        closeQuietly(getInputStream());
        closeQuietly(getErrorStream());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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
            return Optional.of(child.exit().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** @return the leader's decoded status if it has exited and been reaped, else empty */
    public Optional<ExitStatus> exitStatus() {
        CompletableFuture<ExitStatus> exit = child.exit();
        return exit.isDone() && !exit.isCompletedExceptionally() ? Optional.of(exit.join()) : Optional.empty();
    }

    /** @return the leader's CPU time and peak memory, once it has been reaped */
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
