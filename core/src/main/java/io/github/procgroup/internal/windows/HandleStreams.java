package io.github.procgroup.internal.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Java streams over the parent's ends of the pipes, through ReadFile and WriteFile: the JDK has
 * no public way to wrap a Windows HANDLE in a FileInputStream.
 */
final class HandleStreams {
    private HandleStreams() {
    }

    static InputStream input(Win32 win32, MemorySegment handle) {
        return new InputStream() {
            private boolean closed;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public synchronized int read(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("stream closed");
                }
                if (len == 0) {
                    return 0;
                }
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(len);
                    MemorySegment done = arena.allocate(ValueLayout.JAVA_INT);
                    if (!win32.readFile(handle, buffer, len, done)) {
                        if (win32.lastError() == 109) { // ERROR_BROKEN_PIPE: the writer is gone, end of input
                            return -1;
                        }
                        throw WindowsErrors.exception("ReadFile", win32.lastError());
                    }
                    int n = done.get(ValueLayout.JAVA_INT, 0);
                    if (n == 0) {
                        return -1;
                    }
                    MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, n);
                    return n;
                }
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    win32.closeHandle(handle);
                }
            }
        };
    }

    static OutputStream output(Win32 win32, MemorySegment handle) {
        return new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("stream closed");
                }
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(Math.max(1, len));
                    MemorySegment.copy(b, off, buffer, ValueLayout.JAVA_BYTE, 0, len);
                    MemorySegment done = arena.allocate(ValueLayout.JAVA_INT);
                    int written = 0;
                    while (written < len) {
                        if (!win32.writeFile(handle, buffer.asSlice(written), len - written, done)) {
                            throw WindowsErrors.exception("WriteFile", win32.lastError());
                        }
                        written += done.get(ValueLayout.JAVA_INT, 0);
                    }
                }
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    win32.closeHandle(handle);
                }
            }
        };
    }
}
