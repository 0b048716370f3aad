package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parent's read end of a child's stdout or stderr pipe: the original O_CLOEXEC fd, read with
 * read(2); a virtual thread waits in {@link FdWaiter} rather than in read(2), so it does not pin its
 * carrier. Buffered like the JDK's process streams (8 KiB; larger reads bypass the buffer).
 *
 * <p>{@link #leaderReaped()} ends the stream as the JDK's {@code ProcessPipeInputStream} does
 * when it reaps its child: what the pipe still buffers is read into memory, the fd is closed,
 * and readers then get those bytes and end of stream, even while processes that outlived the
 * leader hold the pipe's write end. It never blocks: the reads are non-blocking, and if a reader
 * holds the stream at that moment, the reader does the same at its next empty read (a platform
 * thread already blocked in read(2) stays blocked until the pipe has data or is closed, as a
 * reader of the JDK's stream does).
 *
 * <p>Every use of the fd happens under {@link #lock}, so the fd is never closed while a
 * read or poll uses it (its number could be reused by another open meanwhile).
 */
final class PipeInputStream extends InputStream {
    private static final int BUFFER_SIZE = 8192; // as the JDK's BufferedInputStream around its pipes
    /** At most this much is kept at the reap (the largest pipe an unprivileged process can make). */
    private static final int MAX_DRAIN = 1 << 20;
    private static final byte[] NOT_YET = new byte[0]; // the buffer before its first use

    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: virtual threads would pin on JDK 22-23
    private final String name;
    private volatile int fd; // -1 once closed; changed under lock
    // Guarded by lock; NOT_YET until the first read that goes through it (a stream never read, or
    // read in large arrays only, makes none: most children's output is never read a byte at a
    // time), null once closed.
    private byte[] buffer = NOT_YET;
    private int position; // guarded by lock
    private int limit; // guarded by lock
    private final NativeChunk nativeBuffer = new NativeChunk(); // guarded by lock; what read(2) fills
    private volatile boolean leaderReaped;
    private volatile boolean closed;
    private volatile Thread waiter; // the thread parked in FdWaiter, to wake at close or reap

    /**
     * @param fd   the pipe's read end (blocking, O_CLOEXEC), owned by this stream from now on
     * @param name what the stream is, for error messages ("stdout of pid 42")
     */
    PipeInputStream(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    @Override
    public int read() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            if (position == limit) {
                int n = fillBuffer(true);
                if (n < 0) {
                    return -1;
                }
                position = 0;
                limit = n;
            }
            return buffer[position++] & 0xff;
        } finally {
            unlock();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            ensureOpen();
            if (len == 0) {
                return 0;
            }
            if (position == limit) {
                if (len >= BUFFER_SIZE) {
                    return fill(b, off, len, true); // large reads bypass the buffer, as BufferedInputStream's
                }
                int n = fillBuffer(true);
                if (n < 0) {
                    return -1;
                }
                position = 0;
                limit = n;
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        } finally {
            unlock();
        }
    }

    @Override
    public int available() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            if (position == limit && fd >= 0) {
                int n = fillBuffer(false); // reads only if it will not block: no FIONREAD needed
                position = 0;
                limit = Math.max(n, 0);
            }
            return limit - position;
        } finally {
            unlock();
        }
    }

    /** {@link #fill} into the buffer, made here at its first use; the buffer is empty ({@code position == limit}). */
    private int fillBuffer(boolean wait) throws IOException {
        if (buffer == NOT_YET) {
            buffer = new byte[BUFFER_SIZE];
        }
        return fill(buffer, 0, buffer.length, wait);
    }

    /**
     * Reads what the pipe holds into {@code b}; if it holds nothing, waits ({@code wait}) or returns 0.
     * A platform thread that may wait blocks in read(2), as the JDK's streams do; a virtual thread,
     * or a read that must not wait, reads only once {@link FdWaiter#ready} says it will not block.
     *
     * @return the bytes read (at least 1 when waiting), or -1 at end of stream
     */
    private int fill(byte[] b, int off, int len, boolean wait) throws IOException {
        while (true) {
            if (fd < 0) {
                return -1;
            }
            // Looked at before the pipe: what the leader wrote is in the pipe before its reap, so a
            // pipe found empty after the reap was seen holds nothing of the leader's any more.
            boolean reapedBeforeLook = leaderReaped;
            boolean mayBlock = wait && !reapedBeforeLook && !Thread.currentThread().isVirtual();
            if (!mayBlock && !FdWaiter.ready(fd, false)) {
                if (reapedBeforeLook) {
                    closeFd();
                    return -1;
                }
                if (!wait) {
                    return 0;
                }
                awaitReadable();
                continue;
            }
            MemorySegment buffer = nativeBuffer.atLeast(len);
            long n = Posix.read(fd, buffer);
            if (n > 0) {
                MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, (int) n);
                return (int) n;
            }
            if (n == 0) {
                closeFd(); // end of file: the fd is no use any more
                return -1;
            }
            if (n != -LibC.EINTR()) {
                throw Errno.exception("cannot read the " + name, (int) -n);
            }
        }
    }

    /** Parks the calling virtual thread until the pipe is readable, or the stream closed or ended. */
    private void awaitReadable() throws IOException {
        waiter = Thread.currentThread();
        try {
            if (!closed && !leaderReaped) {
                FdWaiter.await(fd, false);
            }
        } finally {
            waiter = null;
        }
        ensureOpen();
    }

    /**
     * The leader has been reaped: keep what the pipe buffers and close the fd. Called by the exit
     * watcher; never blocks (if a reader holds the stream, the reader finishes the job).
     */
    void leaderReaped() {
        leaderReaped = true;
        FdWaiter.wake(waiter);
        settle();
    }

    /** Under the lock, if free: drains and closes the fd after the leader's reap, or releases all after close(). */
    private void settle() {
        if (fd < 0 || !lock.tryLock()) {
            return; // nothing to do, or the holder settles when it unlocks
        }
        try {
            if (closed) {
                closeFd();
                buffer = null;
            } else if (leaderReaped) {
                drain();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Appends what the pipe holds to the buffer, without waiting, then closes the fd. */
    private void drain() {
        try {
            if (FdWaiter.atEndOfPipe(fd)) {
                closeFd(); // the common end: nothing left to keep, so no read, no buffer and no copy
                return;
            }
            byte[] kept = Arrays.copyOfRange(buffer, position, Math.max(limit, position + BUFFER_SIZE));
            int length = limit - position;
            while (true) {
                if (length == kept.length) {
                    kept = Arrays.copyOf(kept, kept.length * 2);
                }
                int n = fill(kept, length, kept.length - length, false);
                if (n <= 0) {
                    break; // fill closed the fd: end of file, or empty after the reap
                }
                length += n;
                if (length >= MAX_DRAIN) {
                    closeFd(); // a writer that outlived the leader and writes faster than we drain
                    break;
                }
            }
            buffer = kept;
            position = 0;
            limit = length;
        } catch (IOException | RuntimeException e) {
            closeFd(); // a read error at the reap: readers get end of stream after what was buffered
        }
    }

    private void unlock() {
        lock.unlock();
        if (closed || leaderReaped) {
            settle(); // a close() or reap that came while this thread held the lock
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
    }

    private void closeFd() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            Posix.close(f);
        }
    }

    /**
     * Closes the fd at once if no thread reads; else the reader does when it returns (a parked
     * virtual thread is woken at once; a platform thread blocked in read(2) once the read returns).
     */
    @Override
    public void close() {
        closed = true;
        FdWaiter.wake(waiter);
        settle();
    }
}
