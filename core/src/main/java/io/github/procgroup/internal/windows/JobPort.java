package io.github.procgroup.internal.windows;

import io.github.procgroup.bindings.windows.JOBOBJECT_ASSOCIATE_COMPLETION_PORT;
import io.github.procgroup.bindings.windows.Kernel32;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One I/O completion port for every job, and one thread reading it: a job's
 * JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO completes that job's "emptied" future, so waiting for a tree
 * to end needs no polling. Windows does not guarantee delivery of these messages (the port's
 * queue can be full, and a job that emptied before it was associated never sends one), so a
 * missing message only means the caller asks the job's accounting (ActiveProcesses), as
 * {@link WindowsProcess#treeRuns()} does; the message is a shortcut, never the only witness.
 *
 * <p>The thread never dies silently: if GetQueuedCompletionStatus fails for another reason than
 * a timeout, every pending future completes exceptionally with the error, the port is given up,
 * and later jobs get no future (they are then watched by accounting alone).
 */
final class JobPort {
    private static final int WAIT_TIMEOUT = 258;
    /** A timeout on the wait, so a failure state is noticed even with no message coming. */
    private static final int POLL_MILLIS = (int) TimeUnit.SECONDS.toMillis(5);

    private final Win32 win32;
    private final Win32Job jobs;
    private final MemorySegment port;
    private final Map<Long, CompletableFuture<Void>> emptied = new ConcurrentHashMap<>();
    private final AtomicLong nextKey = new AtomicLong(1);
    private volatile IOException failure;

    JobPort(Win32 win32, Win32Job jobs) {
        this.win32 = win32;
        this.jobs = jobs;
        MemorySegment created = jobs.createIoCompletionPort();
        this.port = created.equals(MemorySegment.NULL) ? null : created;
        if (port == null) {
            failure = WindowsErrors.exception("CreateIoCompletionPort", win32.lastError());
        }
    }

    /** Starts the reading thread (a daemon: it must not keep the JVM alive). */
    JobPort start() {
        if (port != null) {
            Thread.ofPlatform().daemon().name("procgroup-job-port").start(this::loop);
        }
        return this;
    }

    /**
     * Associates {@code job} with the port.
     *
     * @return completed when the job reports no active process; failed if the port failed;
     *         already failed if it could not be associated (then only the accounting tells)
     */
    CompletableFuture<Void> watch(MemorySegment job) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        long key = nextKey.getAndIncrement();
        CompletableFuture<Void> future = new CompletableFuture<>();
        emptied.put(key, future); // before the association, so the message cannot arrive first
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = JOBOBJECT_ASSOCIATE_COMPLETION_PORT.allocate(arena);
            JOBOBJECT_ASSOCIATE_COMPLETION_PORT.CompletionKey(info, MemorySegment.ofAddress(key));
            JOBOBJECT_ASSOCIATE_COMPLETION_PORT.CompletionPort(info, port);
            if (!win32.setInformationJobObject(job, Kernel32.JobObjectAssociateCompletionPortInformation(), info)) {
                emptied.remove(key);
                future.completeExceptionally(WindowsErrors.exception("SetInformationJobObject(completion port)",
                        win32.lastError()));
            }
        }
        return future;
    }

    /** Reads one message, waiting at most {@code millis}; @return false once the port has failed */
    boolean readOne(int millis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment key = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment pid = arena.allocate(ValueLayout.ADDRESS);
            if (!jobs.getQueuedCompletionStatus(port, message, key, pid, millis)) {
                int error = win32.lastError();
                if (error == WAIT_TIMEOUT) {
                    return true;
                }
                fail(WindowsErrors.exception("GetQueuedCompletionStatus", error));
                return false;
            }
            if (message.get(ValueLayout.JAVA_INT, 0) == Kernel32.JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO()) {
                CompletableFuture<Void> future = emptied.remove(key.get(ValueLayout.JAVA_LONG, 0));
                if (future != null) {
                    future.complete(null);
                }
            }
            return true; // NEW_PROCESS, EXIT_PROCESS and the limit messages: nothing to do
        }
    }

    /** Forgets a job whose tree is over (its message may never come). */
    void forget(CompletableFuture<Void> future) {
        emptied.values().remove(future);
    }

    private void loop() {
        try {
            while (readOne(POLL_MILLIS)) {
                // one message per round
            }
        } catch (RuntimeException | Error e) {
            fail(new IOException("the job completion port thread failed: " + e, e));
            throw e;
        }
    }

    private void fail(IOException cause) {
        failure = cause;
        emptied.values().forEach(future -> future.completeExceptionally(cause));
        emptied.clear();
    }
}
