package io.github.procgroup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The streams a process has for stdio that is not a pipe, as {@link Process} documents them. */
public final class NullStreams {
    /** Always at end of stream. */
    public static final InputStream INPUT = InputStream.nullInputStream();

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
