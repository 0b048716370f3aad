package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The parent's write end of a child's stdin pipe: the original O_CLOEXEC fd, written with write(2);
 * a virtual thread writes only what fits and otherwise waits in {@link FdWaiter}, so it does not
 * pin its carrier while the pipe is full. Unbuffered:
 * {@link ChildStdio} buffers it as the JDK buffers its stdin stream (a {@code BufferedOutputStream}).
 *
 * <p>{@link #leaderReaped()} closes it as the JDK's {@code ProcessPipeOutputStream} does when it
 * reaps its child: later writes throw {@code IOException("Stream closed")}. Every use of the fd
 * happens under {@link #lock}, so it is never closed while a write or poll uses it.
 */
final class PipeOutputStream extends OutputStream {
    private static final int PIPE_BUF = 4096; // POSIX: a write of at most this much to a pipe is atomic

    private final ReentrantLock lock = new ReentrantLock();
    private final NativeChunk nativeBuffer = new NativeChunk(); // guarded by lock; what write(2) sends
    private final String name;
    private volatile int fd; // -1 once closed; changed under lock
    private volatile boolean ended; // closed, or the leader reaped
    private volatile Thread waiter;

    /**
     * @param fd   the pipe's write end (blocking, O_CLOEXEC), owned by this stream from now on
     * @param name what the stream is, for error messages ("stdin of pid 42")
     */
    PipeOutputStream(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        lock.lock();
        try {
            while (len > 0) {
                if (ended || fd < 0) {
                    throw new IOException("Stream closed");
                }
                int chunk = Math.min(len, NativeChunk.MAX_SIZE);
                if (Thread.currentThread().isVirtual()) {
                    if (!FdWaiter.ready(fd, true)) {
                        awaitWritable();
                        continue;
                    }
                    // Ready means a free page in the pipe: PIPE_BUF bytes then fit without blocking.
                    chunk = Math.min(len, PIPE_BUF);
                }
                MemorySegment buffer = nativeBuffer.atLeast(chunk);
                MemorySegment.copy(b, off, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
                long n = Posix.write(fd, buffer);
                if (n > 0) {
                    off += (int) n;
                    len -= (int) n;
                } else if (n == -LibC.EPIPE()) {
                    throw new IOException("Broken pipe: nothing reads the " + name + " any more");
                } else if (n != -LibC.EINTR()) {
                    throw Errno.exception("cannot write to the " + name, (int) -n);
                }
            }
        } finally {
            unlock();
        }
    }

    private void awaitWritable() throws IOException {
        waiter = Thread.currentThread();
        try {
            if (!ended) {
                FdWaiter.await(fd, true);
            }
        } finally {
            waiter = null;
        }
    }

    /** The leader has been reaped: close the fd now if no thread writes, else when the write returns. */
    void leaderReaped() {
        close();
    }

    @Override
    public void close() {
        ended = true;
        FdWaiter.wake(waiter);
        settle();
    }

    private void unlock() {
        lock.unlock();
        if (ended) {
            settle();
        }
    }

    private void settle() {
        if (fd < 0 || !lock.tryLock()) {
            return; // closed already, or the writer holding the lock settles when it unlocks
        }
        try {
            int f = fd;
            if (f >= 0) {
                fd = -1;
                Posix.close(f);
            }
        } finally {
            lock.unlock();
        }
    }
}
