package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.NullStreams;
import io.github.procgroup.internal.SpawnRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The three fds a child starts with, opened in the parent before {@code posix_spawn}.
 *
 * <p>Files are opened here rather than by a file action in the child so that an error names
 * the file. Every fd is opened {@code O_CLOEXEC}, so no other child started meanwhile (by
 * procgroup, the JDK or native code) inherits it; the child gets its copies through
 * {@code dup2}, which clears the flag on fds 0-2 only. {@link #close()} closes every
 * fd it still owns: the child has its copies by then, and {@link #streams} took the parent's ends.
 */
final class ChildStdio implements AutoCloseable {
    static final int INHERIT = -1;
    private static final int CREATE_MODE = 0666;

    private final int[] childFds = {INHERIT, INHERIT, INHERIT};
    private final int[] parentFds = {INHERIT, INHERIT, INHERIT};
    private final boolean errorToOutput;

    private ChildStdio(boolean errorToOutput) {
        this.errorToOutput = errorToOutput;
    }

    /**
     * Opens the pipes and files the request asks for.
     *
     * @throws ErrnoException naming the file or the pipe that could not be opened; nothing stays open
     */
    static ChildStdio open(SpawnRequest request, Arena arena) throws ErrnoException {
        return open(request, arena, INHERIT, INHERIT);
    }

    /**
     * As {@link #open(SpawnRequest, Arena)}, but with fds the caller already has for the child's
     * stdin and stdout (a pipeline's pipe ends): each one given ({@code >= 0}, O_CLOEXEC) is
     * the child's fd in place of the request's redirect, and this object owns it from the call
     * on, so {@link #close()} closes it, also when this method throws.
     *
     * @param givenStdin  the fd to become the child's fd 0, or {@link #INHERIT} for the request's redirect
     * @param givenStdout the fd to become the child's fd 1, or {@link #INHERIT} for the request's redirect
     * @throws ErrnoException naming the file or the pipe that could not be opened; nothing stays open
     */
    static ChildStdio open(SpawnRequest request, Arena arena, int givenStdin, int givenStdout) throws ErrnoException {
        ChildStdio stdio = new ChildStdio(request.redirectErrorStream());
        stdio.childFds[0] = givenStdin;
        stdio.childFds[1] = givenStdout;
        try {
            if (givenStdin == INHERIT) {
                stdio.prepare(0, request.stdin(), arena);
            }
            if (givenStdout == INHERIT) {
                stdio.prepare(1, request.stdout(), arena);
            }
            if (!request.redirectErrorStream()) {
                stdio.prepare(2, request.stderr(), arena);
            }
            return stdio;
        } catch (ErrnoException e) {
            stdio.close();
            throw e;
        }
    }

    private void prepare(int fd, Redirect redirect, Arena arena) throws ErrnoException {
        switch (redirect.type()) {
            case INHERIT -> { }
            case PIPE -> {
                MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
                int r = Posix.pipe2(ends, LibC.O_CLOEXEC());
                if (r < 0) {
                    // EMFILE or ENFILE, typically: the JVM (or the system) is out of fds.
                    // The program is named by LinuxBackend, which wraps every stream setup failure.
                    throw Errno.exception("cannot create a pipe for fd " + fd, -r);
                }
                int readEnd = ends.getAtIndex(ValueLayout.JAVA_INT, 0);
                int writeEnd = ends.getAtIndex(ValueLayout.JAVA_INT, 1);
                childFds[fd] = fd == 0 ? readEnd : writeEnd;
                parentFds[fd] = fd == 0 ? writeEnd : readEnd;
            }
            case READ -> childFds[fd] = openFile(redirect, LibC.O_RDONLY(), arena);
            case WRITE -> childFds[fd] = openFile(redirect, LibC.O_WRONLY() | LibC.O_CREAT() | LibC.O_TRUNC(), arena);
            case APPEND -> childFds[fd] = openFile(redirect, LibC.O_WRONLY() | LibC.O_CREAT() | LibC.O_APPEND(), arena);
        }
    }

    private static int openFile(Redirect redirect, int flags, Arena arena) throws ErrnoException {
        String path = redirect.file().getPath();
        int fd = Posix.open(arena.allocateFrom(path), flags | LibC.O_CLOEXEC(), CREATE_MODE);
        if (fd < 0) {
            throw Errno.exception("cannot open redirect file \"" + path + "\"", -fd);
        }
        return fd;
    }

    /** @return the fd the child should get as {@code fd}, or {@link #INHERIT} */
    int childFd(int fd) {
        return childFds[fd];
    }

    /**
     * Hands the parent's raw end of pipe {@code fd} to the caller, who must close it; it stays
     * O_CLOEXEC, so no child inherits it.
     *
     * @return the fd
     */
    int takeParentFd(int fd) {
        int taken = parentFds[fd];
        parentFds[fd] = INHERIT;
        return taken;
    }

    /** @return whether the child's fd 2 is a copy of its fd 1 */
    boolean errorToOutput() {
        return errorToOutput;
    }

    /**
     * The parent's ends of the pipes, as streams of procgroup's own over the original fds.
     *
     * @param pid        the leader's pid (and group id)
     * @param endAtReap  whether {@link #leaderReaped()} ends them, as the JDK ends its process streams
     * @param foreground the JVM's terminal, handed to the child's group while it runs, or null
     */
    record Streams(int pid, OutputStream stdin, InputStream stdout, InputStream stderr, boolean endAtReap,
                   Foreground foreground) {
        /**
         * Called once the leader is reaped, before its exit is reported: the terminal goes back to
         * the JVM's group, and unless the streams outlive the leader, what the pipes buffer is kept
         * for reading and their fds are closed. Never blocks.
         */
        void leaderReaped() {
            if (foreground != null) {
                foreground.giveBack(pid);
            }
            if (!endAtReap) {
                return;
            }
            if (stdin instanceof StdinStream buffered) {
                buffered.pipe.leaderReaped();
            }
            if (stdout instanceof PipeInputStream pipe) {
                pipe.leaderReaped();
            }
            if (stderr instanceof PipeInputStream pipe) {
                pipe.leaderReaped();
            }
        }
    }

    /**
     * The JDK's buffering around the stdin pipe, as its {@code BufferedOutputStream}: writes of
     * less than 8 KiB gather until the buffer is full, {@code flush()} or {@code close()}; larger
     * ones go to the pipe at once. The buffer is made at the first small write, so a child whose
     * stdin is never written costs none (the JDK's is made with the stream). It remembers the pipe
     * for the reap.
     */
    private static final class StdinStream extends OutputStream {
        private static final int BUFFER_SIZE = 8192;
        private final ReentrantLock lock = new ReentrantLock(); // not synchronized: virtual threads would pin on JDK 22-23
        private final PipeOutputStream pipe;
        private byte[] buffer; // guarded by lock; null until the first small write
        private int count; // guarded by lock
        private boolean closed; // guarded by lock

        StdinStream(PipeOutputStream pipe) {
            this.pipe = pipe;
        }

        @Override
        public void write(int b) throws IOException {
            lock.lock();
            try {
                room(1);
                buffer[count++] = (byte) b;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            lock.lock();
            try {
                if (len >= BUFFER_SIZE) {
                    flushBuffer();
                    pipe.write(b, off, len);
                    return;
                }
                room(len);
                System.arraycopy(b, off, buffer, count, len);
                count += len;
            } finally {
                lock.unlock();
            }
        }

        /** Makes room for {@code len} (less than the buffer) more bytes: the buffer made, or emptied into the pipe. */
        private void room(int len) throws IOException {
            if (buffer == null) {
                buffer = new byte[BUFFER_SIZE];
            } else if (len > buffer.length - count) {
                flushBuffer();
            }
        }

        private void flushBuffer() throws IOException {
            if (count > 0) {
                pipe.write(buffer, 0, count);
                count = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            lock.lock();
            try {
                flushBuffer();
                pipe.flush();
            } finally {
                lock.unlock();
            }
        }

        /** As {@code FilterOutputStream.close()}: flushes, and closes the pipe even if that fails; once only. */
        @Override
        public void close() throws IOException {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    flushBuffer();
                } finally {
                    buffer = null;
                    pipe.close();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Hands the parent's ends of the pipes to streams of procgroup's own. The fds stay the O_CLOEXEC
     * originals: no child started meanwhile inherits them, nothing is reopened, and no fd is
     * opened here (so this cannot fail with EMFILE: pipe2 above reports that, naming the program).
     * Call after a successful spawn; {@link #close()} then closes only the child's ends.
     *
     * @param pid        the child's pid, for the streams' error messages
     * @param endAtReap  whether the streams end at the leader's reap
     * @param foreground the terminal handed to the child's group, to give back at the reap, or null
     */
    Streams streams(int pid, boolean endAtReap, Foreground foreground) {
        // String.concat, not +: a first + here would bootstrap the JDK's string concatenation in the first spawn.
        String ofPid = " of pid ".concat(Integer.toString(pid));
        OutputStream in = parentFds[0] == INHERIT ? NullStreams.OUTPUT
                : new StdinStream(new PipeOutputStream(takeParentFd(0), "stdin".concat(ofPid)));
        InputStream out = parentFds[1] == INHERIT ? NullStreams.INPUT
                : new PipeInputStream(takeParentFd(1), "stdout".concat(ofPid));
        InputStream err = parentFds[2] == INHERIT ? NullStreams.INPUT
                : new PipeInputStream(takeParentFd(2), "stderr".concat(ofPid));
        return new Streams(pid, in, out, err, endAtReap, foreground);
    }

    @Override
    public void close() {
        for (int fd = 0; fd < 3; fd++) {
            if (childFds[fd] != INHERIT) {
                Posix.close(childFds[fd]);
                childFds[fd] = INHERIT;
            }
            if (parentFds[fd] != INHERIT) {
                Posix.close(parentFds[fd]);
                parentFds[fd] = INHERIT;
            }
        }
    }
}
