package io.github.procgroup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The streams a process has for stdio that is not a pipe, as {@link Process} documents them.
 * Both are shared by every process, so closing them must not change them: {@code close()}
 * does nothing (unlike {@link InputStream#nullInputStream()}, which throws once closed).
 */
public final class NullStreams {
    /** Always at end of stream, even after {@code close()}. */
    public static final InputStream INPUT = new InputStream() {
        @Override
        public int read() {
            return -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return len == 0 ? 0 : -1;
        }

        @Override
        public int available() {
            return 0;
        }
    };

    /** Refuses every write, as the JDK's stream for a redirected stdin does. */
    public static final OutputStream OUTPUT = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("Stream closed: the child's stdin is not a pipe");
        }
    };

    private NullStreams() {
    }
}
