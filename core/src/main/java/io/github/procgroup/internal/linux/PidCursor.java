package io.github.procgroup.internal.linux;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether any process was created in this JVM's pid namespace between two moments: the
 * namespace's pid cursor, which {@code /proc/loadavg} shows as its last field (the last pid
 * handed out in the reader's namespace).
 *
 * <p>Why an unchanged cursor proves that no process (nor thread) was created: every new task gets
 * a number in its own pid namespace and in each one above it, ours included when it is created in
 * ours or in one nested in it, and each number comes from {@code idr_alloc_cyclic}, which moves
 * the cursor past it. A creation that fails later still moved it (so the answer errs towards
 * "created"). Numbers run up to pid_max and then start again low, so the cursor could only read
 * the same again after a whole round of the pid space; {@link #MAX_WINDOW_NANOS} bounds the window
 * so that such a round would take more forks than Linux makes in that time (the bound
 * {@link TreeGroup#SLACK_TICKS} rests on too). What is left: privileged checkpoint/restore
 * tools can create a process with a number of their choice ({@code clone3} with {@code set_tid})
 * or set the cursor back (a write to {@code /proc/sys/kernel/ns_last_pid}), both needing
 * CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN over the namespace.
 */
final class PidCursor {
    /** {@link #read()}'s answer when the cursor cannot be read (no /proc/loadavg, an odd format). */
    static final long UNKNOWN = -1;
    /** The longest window an unchanged cursor vouches for: 30 ms, as for {@link TreeGroup#SLACK_TICKS}. */
    static final long MAX_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(30);

    private PidCursor() {
    }

    /** @return the last pid handed out in this JVM's pid namespace, or {@link #UNKNOWN} */
    static long read() {
        byte[] text;
        try {
            text = ProcFile.read("/proc/loadavg");
        } catch (IOException e) {
            return UNKNOWN; // EMFILE, say: callers then take the way that needs no such proof
        }
        return text == null ? UNKNOWN : lastField(text);
    }

    /**
     * @param cursor  what {@link #read()} returned at the first moment
     * @param readAt  the {@link System#nanoTime()} just before that read
     * @return whether the cursor reads the same now, within {@link #MAX_WINDOW_NANOS} of {@code readAt}:
     *         no process was created in the namespace in between
     */
    static boolean unchangedSince(long cursor, long readAt) {
        return cursor != UNKNOWN && System.nanoTime() - readAt <= MAX_WINDOW_NANOS
                && read() == cursor && System.nanoTime() - readAt <= MAX_WINDOW_NANOS;
    }

    /** @return the decimal number that ends {@code text} ("0.31 0.09 0.03 1/123 4567\n"), or {@link #UNKNOWN} */
    static long lastField(byte[] text) {
        int end = text.length;
        while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == ' ')) {
            end--;
        }
        int start = end;
        while (start > 0 && text[start - 1] >= '0' && text[start - 1] <= '9') {
            start--;
        }
        if (start == end || end - start > 18 || (start > 0 && text[start - 1] != ' ')) {
            return UNKNOWN;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    }
}
