package io.github.procgroup;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a started process or pipeline: feeds stdin, drains stdout and stderr on threads of
 * their own (one per stream, so neither can fill its pipe and stall the child), waits for every
 * stage up to the deadline, then ends what is left of the tree with SIGTERM, the grace, SIGKILL.
 *
 * <p>The threads are platform daemon threads, not virtual ones: a blocking read of a pipe through
 * {@code FileInputStream} keeps its virtual thread's carrier (the JDK does not unmount or
 * compensate for it), so two readers could occupy every carrier of a two-CPU machine and starve
 * every other virtual thread, the one waiting for the run included. Daemon threads, so a
 * run never keeps the JVM from exiting (the shutdown hook then ends the tree, if killOnJvmExit).
 */
final class Run {
    /**
     * How long the output may take to reach end of file once the tree is gone. Only a process
     * that left the tree and can no longer be traced (see {@link GroupProcess#tree()}) can still
     * hold a pipe then; the run returns without waiting for it.
     */
    static final Duration DRAIN = Duration.ofSeconds(2);

    private final String command;
    private final List<GroupProcess> stages;
    private final List<RunOptions> options;
    private final long startNanos;
    private final OutputCollector stdout;
    private final List<OutputCollector> stderrs = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    /**
     * Starts feeding and draining the stages.
     *
     * @param stages     the started process, or the stages of a pipeline (the first leads the group)
     * @param options    each stage's run settings
     * @param startNanos {@link System#nanoTime()} just before the spawn
     */
    Run(String command, List<GroupProcess> stages, List<RunOptions> options, long startNanos) {
        this.command = command;
        this.stages = stages;
        this.options = options;
        this.startNanos = startNanos;
        feed(stages.get(0), options.get(0).input());
        GroupProcess last = stages.get(stages.size() - 1);
        RunOptions lastOptions = options.get(options.size() - 1);
        stdout = new OutputCollector(last.getInputStream(), lastOptions.outputLimit(), lastOptions.charset(),
                lastOptions.stdoutLines());
        readers.add(Thread.ofPlatform().daemon().name("procgroup-stdout-" + last.pid()).start(stdout));
        for (int i = 0; i < stages.size(); i++) {
            RunOptions o = options.get(i);
            OutputCollector stderr = new OutputCollector(stages.get(i).getErrorStream(), o.outputLimit(), o.charset(),
                    o.stderrLines());
            stderrs.add(stderr);
            readers.add(Thread.ofPlatform().daemon().name("procgroup-stderr-" + stages.get(i).pid()).start(stderr));
        }
    }

    private static void feed(GroupProcess first, byte[] input) {
        if (input == null) {
            closeQuietly(first.getOutputStream()); // the child reads end of file at once, never the JVM's stdin
            return;
        }
        Thread.ofPlatform().daemon().name("procgroup-stdin-" + first.pid()).start(() -> {
            try (OutputStream in = first.getOutputStream()) {
                in.write(input);
            } catch (IOException e) {
                // EPIPE: the child exited or closed stdin without reading all of it. Not an error, as
                // in Python's subprocess.run: the exit status tells whether the child was content.
            }
        });
    }

    /**
     * Waits for the run to end and returns its result once nothing of the tree runs.
     *
     * @param timeout the limit from the spawn on, or null for none
     * @throws InterruptedException if interrupted; the tree is ended (SIGTERM, grace, SIGKILL) first
     * @throws IOException          if reading the output failed
     */
    ProcessResult await(Duration timeout) throws IOException, InterruptedException {
        GroupProcess leader = stages.get(0);
        try {
            boolean timedOut = !awaitStages(timeout);
            List<ProcessInfo> ended = endTree(leader);
            for (GroupProcess stage : stages) {
                stage.awaitExit(); // the tree is gone; a stage outside the leader's reap is reaped in a moment
            }
            awaitReaders();
            rethrowReaderFailure();
            return result(timedOut, ended);
        } catch (InterruptedException e) {
            endTreeUninterruptibly(leader);
            throw e;
        } finally {
            closeAll();
        }
    }

    /**
     * Waits for the run on a thread of its own; cancelling the future interrupts that thread,
     * which ends the tree (see {@link #await}).
     */
    static java.util.concurrent.CompletableFuture<ProcessResult> async(Run run, Duration timeout) {
        java.util.concurrent.CompletableFuture<ProcessResult> future = new java.util.concurrent.CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().daemon().name("procgroup-run-" + run.stages.get(0).pid()).start(() -> {
            try {
                future.complete(run.await(timeout));
            } catch (Throwable e) {
                future.completeExceptionally(e); // after a cancel: the InterruptedException, ignored by the done future
            }
        });
        future.whenComplete((result, failure) -> {
            if (future.isCancelled()) {
                waiter.interrupt();
            }
        });
        return future;
    }

    /** @return false if the deadline passed before every stage exited */
    private boolean awaitStages(Duration timeout) throws InterruptedException {
        for (GroupProcess stage : stages) {
            if (timeout == null) {
                stage.awaitExit();
            } else if (stage.awaitExit(Duration.ofNanos(startNanos + timeout.toNanos() - System.nanoTime())).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Ends what still runs of the tree. @return what ran, listed just before the first signal */
    private List<ProcessInfo> endTree(GroupProcess leader) throws InterruptedException {
        List<ProcessInfo> left = leader.tree();
        if (!left.isEmpty() || stages.stream().anyMatch(Process::isAlive)) {
            leader.terminate(options.get(0).grace());
        }
        return left;
    }

    private void endTreeUninterruptibly(GroupProcess leader) {
        try {
            leader.terminate(options.get(0).grace());
        } catch (InterruptedException again) {
            leader.close(); // SIGKILL now, and wait without giving up; the caller gets the first interrupt
        }
    }

    private void awaitReaders() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        for (Thread reader : readers) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(reader, left);
            }
        }
    }

    private void rethrowReaderFailure() throws IOException {
        List<OutputCollector> all = new ArrayList<>(stderrs);
        all.add(0, stdout);
        for (OutputCollector c : all) {
            Throwable failure = c.failure();
            if (failure instanceof IOException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    private ProcessResult result(boolean timedOut, List<ProcessInfo> ended) {
        byte[] err;
        long droppedErr = 0;
        if (stderrs.size() == 1) {
            err = stderrs.get(0).kept();
            droppedErr = stderrs.get(0).dropped();
        } else {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (OutputCollector c : stderrs) {
                all.writeBytes(c.kept());
                droppedErr += c.dropped();
            }
            err = all.toByteArray();
        }
        List<ExitStatus> statuses = stages.stream().map(s -> s.exitStatus().orElseThrow()).toList();
        return new ProcessResult(command, statuses, stdout.kept(), err, stdout.dropped(), droppedErr,
                options.get(options.size() - 1).charset(), timedOut,
                Duration.ofNanos(System.nanoTime() - startNanos), ended);
    }

    /**
     * Closes the leader, which ends the tree if anything of it still runs (after an exception)
     * and is quick once it is gone, and every stage's streams. The later stages share the
     * leader's group, so closing each of them would only list the same tree again.
     */
    private void closeAll() {
        try {
            stages.get(0).close();
        } catch (IllegalStateException | UncheckedIOException stuck) {
            // A process stuck in the kernel: terminate() above has already reported it.
        } finally {
            for (GroupProcess stage : stages) {
                closeQuietly(stage.getOutputStream());
                closeQuietly(stage.getInputStream());
                closeQuietly(stage.getErrorStream());
            }
        }
    }

    private static void closeQuietly(AutoCloseable stream) {
        try {
            stream.close();
        } catch (Exception ignored) {
            // Our end of a pipe: nothing useful to report.
        }
    }
}
