package io.github.procgroup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * Drains one of a child's output streams to its end on a thread of its own: keeps the first
 * {@code limit} bytes, counts the rest, and hands every line to a consumer if there is one.
 * It always reads on, whatever the limit or the consumer does, so the child never blocks on a
 * full pipe.
 */
final class OutputCollector implements Runnable {
    private static final int CHUNK = 64 * 1024;
    /** A longer line goes to the consumer in pieces of this many bytes, so memory stays bounded. */
    static final int MAX_LINE = 1024 * 1024;

    private final InputStream in;
    private final long limit;
    private final Charset charset;
    private final Consumer<String> lines; // null: capture only
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long dropped;
    private volatile Throwable failure;
    private Throwable consumerFailure;

    OutputCollector(InputStream in, long limit, Charset charset, Consumer<String> lines) {
        this.in = in;
        this.limit = limit;
        this.charset = charset;
        this.lines = lines;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[CHUNK];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                keep(buffer, n);
                if (lines != null && consumerFailure == null) {
                    split(buffer, n);
                }
            }
            if (line.size() > 0) {
                deliver(); // the last line, without its newline
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        }
    }

    private void keep(byte[] buffer, int n) {
        int room = (int) Math.max(0, Math.min(n, limit - kept.size()));
        kept.write(buffer, 0, room);
        dropped += n - room;
    }

    private void split(byte[] buffer, int n) {
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
                line.write(buffer, from, i - from);
                deliver();
                from = i + 1;
            } else if (line.size() + (i - from) >= MAX_LINE) {
                line.write(buffer, from, i - from);
                deliver();
                from = i;
            }
        }
        line.write(buffer, from, n - from);
    }

    private void deliver() {
        byte[] bytes = line.toByteArray();
        line.reset();
        if (consumerFailure != null) {
            return; // the consumer failed on an earlier line: it is called no more, and its first failure stands
        }
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            lines.accept(new String(bytes, 0, length, charset));
        } catch (RuntimeException | Error e) {
            // Stop calling it, but read on: the child must not block. run() reports it at the end.
            consumerFailure = e;
        }
    }

    /** @return the bytes kept, up to the limit; call after the thread has ended */
    byte[] kept() {
        return kept.toByteArray();
    }

    /** @return how many bytes were read past the limit and dropped; call after the thread has ended */
    long dropped() {
        return dropped;
    }

    /**
     * @return what went wrong on the thread (an IOException reading, or what the line consumer
     *         threw), or null; call after the thread has ended
     */
    Throwable failure() {
        return failure != null ? failure : consumerFailure;
    }
}
