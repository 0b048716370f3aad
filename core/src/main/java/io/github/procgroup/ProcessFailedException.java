package io.github.procgroup;

import java.util.Arrays;
import java.util.List;

/**
 * Thrown by {@link ProcessResult#checkSuccess()}: the process exited with a code other than 0,
 * was killed by a signal, or timed out. The message names the command, how it ended and the
 * last lines of its stderr; {@link #result()} has everything.
 */
public final class ProcessFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** How much of stderr the message quotes: the last lines, at most this many. */
    static final int TAIL_LINES = 10;
    /** ... and at most this many characters. */
    static final int TAIL_CHARS = 2000;

    private final transient ProcessResult result;

    ProcessFailedException(ProcessResult result) {
        super(message(result));
        this.result = result;
    }

    /** {@return the result of the failed run; null only after serialization} */
    public ProcessResult result() {
        return result;
    }

    private static String message(ProcessResult result) {
        StringBuilder m = new StringBuilder("command \"").append(result.command()).append("\" ");
        if (result.timedOut()) {
            m.append("timed out after ").append(result.duration().toMillis()).append(" ms (")
                    .append(result.exitStatus()).append(')');
        } else {
            m.append("failed: ").append(result.exitStatus());
        }
        String tail = tail(result.stderr());
        if (tail.isEmpty()) {
            m.append("; stderr was empty");
        } else {
            m.append("; stderr ends:\n").append(tail);
        }
        return m.toString();
    }

    /** @return the last {@link #TAIL_LINES} lines of {@code text}, at most {@link #TAIL_CHARS} characters */
    static String tail(String text) {
        List<String> lines = Arrays.asList(text.strip().split("\r?\n"));
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        return tail.length() <= TAIL_CHARS ? tail : "..." + tail.substring(tail.length() - TAIL_CHARS);
    }
}
