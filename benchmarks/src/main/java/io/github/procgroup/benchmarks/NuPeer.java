package io.github.procgroup.benchmarks;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * NuProcess 3.0.0 as a peer: the same work as {@link Children} does with procgroup and
 * ProcessBuilder, through NuProcess's asynchronous API (its own epoll threads deliver output and
 * exit; {@code waitFor} blocks until the exit is delivered).
 */
final class NuPeer {
    private NuPeer() {
    }

    /** Starts a command whose output nobody reads (NuProcess drains and drops it). */
    static NuProcess start(List<String> command) {
        NuProcessBuilder builder = new NuProcessBuilder(command);
        builder.setProcessListener(new NuAbstractProcessHandler() { });
        return started(builder.start(), command);
    }

    /** Spawns /bin/true and waits for it. */
    static int trueWithNuProcess() throws InterruptedException {
        return start(Children.TRUE).waitFor(0, TimeUnit.SECONDS);
    }

    /** SIGKILLs a child (NuProcess's {@code destroy(true)}) and waits until its exit is delivered. */
    static int kill(NuProcess p) throws InterruptedException {
        p.destroy(true);
        return p.waitFor(0, TimeUnit.SECONDS);
    }

    /**
     * Runs a command and counts the bytes of its stdout, as NuProcess delivers them.
     *
     * @return the number of bytes read
     * @throws IllegalStateException if the command fails
     */
    static long readAll(List<String> command) throws InterruptedException {
        long[] bytes = {0};
        NuProcessBuilder builder = new NuProcessBuilder(command);
        builder.setProcessListener(new NuAbstractProcessHandler() {
            @Override
            public void onStdout(ByteBuffer buffer, boolean closed) {
                bytes[0] += buffer.remaining();
                buffer.position(buffer.limit()); // consumed
            }
        });
        int code = started(builder.start(), command).waitFor(0, TimeUnit.SECONDS);
        if (code != 0) {
            throw new IllegalStateException(command + " exited with " + code);
        }
        return bytes[0];
    }

    /** NuProcess reports a failed start with null rather than an exception. */
    private static NuProcess started(NuProcess p, List<String> command) {
        if (p == null) {
            throw new IllegalStateException("NuProcess could not start " + command);
        }
        return p;
    }
}
