package io.github.procgroup;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;

/**
 * What {@link GroupProcessBuilder#run(Duration)} (or a pipeline run) found: how the process
 * ended, what it wrote, whether the timeout fired and which processes of its tree had to be ended.
 *
 * <p>Output is kept up to the builder's {@linkplain GroupProcessBuilder#outputLimit(long) limit}
 * per stream; what came after it was read and dropped ({@link #truncated()}). A stream that was
 * not a pipe (redirected to a file, inherited, discarded, or merged into stdout with
 * {@code redirectErrorStream}) reads as empty.
 */
public final class ProcessResult {
    private final String command;
    private final List<ExitStatus> stageStatuses;
    private final byte[] stdout;
    private final byte[] stderr;
    private final long droppedStdoutBytes;
    private final long droppedStderrBytes;
    private final Charset charset;
    private final boolean timedOut;
    private final Duration duration;
    private final List<ProcessInfo> ended;

    ProcessResult(String command, List<ExitStatus> stageStatuses, byte[] stdout, byte[] stderr,
                  long droppedStdoutBytes, long droppedStderrBytes, Charset charset, boolean timedOut,
                  Duration duration, List<ProcessInfo> ended) {
        this.command = command;
        this.stageStatuses = List.copyOf(stageStatuses);
        this.stdout = stdout;
        this.stderr = stderr;
        this.droppedStdoutBytes = droppedStdoutBytes;
        this.droppedStderrBytes = droppedStderrBytes;
        this.charset = charset;
        this.timedOut = timedOut;
        this.duration = duration;
        this.ended = List.copyOf(ended);
    }

    /** {@return the command as run, its arguments separated by spaces; a pipeline's stages joined by {@code " | "}} */
    public String command() {
        return command;
    }

    /**
     * {@return how the process ended (for a pipeline: its last stage, as a shell reports it); after
     * a timeout, usually "killed by SIGTERM" or "killed by SIGKILL"}
     */
    public ExitStatus exitStatus() {
        return stageStatuses.get(stageStatuses.size() - 1);
    }

    /** {@return how each stage of a pipeline ended, in order (like bash's PIPESTATUS); one element for a single process} */
    public List<ExitStatus> stageStatuses() {
        return stageStatuses;
    }

    /** {@return stdout as text, decoded with the builder's charset (UTF-8 unless set); malformed bytes become U+FFFD} */
    public String stdout() {
        return new String(stdout, charset);
    }

    /** {@return stderr as text (for a pipeline: every stage's, in stage order), decoded as {@link #stdout()}} */
    public String stderr() {
        return new String(stderr, charset);
    }

    /** {@return stdout as bytes, a copy} */
    public byte[] stdoutBytes() {
        return stdout.clone();
    }

    /** {@return stderr as bytes, a copy} */
    public byte[] stderrBytes() {
        return stderr.clone();
    }

    /** {@return how many bytes of stdout came after the limit and were dropped} */
    public long droppedStdoutBytes() {
        return droppedStdoutBytes;
    }

    /** {@return how many bytes of stderr came after the limit and were dropped} */
    public long droppedStderrBytes() {
        return droppedStderrBytes;
    }

    /** {@return whether either stream had more output than the limit (see {@link #droppedStdoutBytes()})} */
    public boolean truncated() {
        return droppedStdoutBytes > 0 || droppedStderrBytes > 0;
    }

    /** {@return whether the timeout fired and the tree was ended because of it} */
    public boolean timedOut() {
        return timedOut;
    }

    /** {@return from just before the spawn until the tree was gone and the output read} */
    public Duration duration() {
        return duration;
    }

    /**
     * {@return the processes of the tree that still ran when the run ended them (after the timeout,
     * or still running once the process, or every stage of a pipeline, had exited), as listed just
     * before the first signal; empty if none was left}
     */
    public List<ProcessInfo> ended() {
        return ended;
    }

    /** {@return whether the process exited with code 0 and the timeout did not fire} */
    public boolean isSuccess() {
        return !timedOut && exitStatus().exitCode().orElse(-1) == 0;
    }

    /**
     * {@return this result, if {@link #isSuccess()}}
     *
     * @throws ProcessFailedException if the process did not exit with 0 or timed out; its message
     *   has the command, the status and the tail of stderr
     */
    public ProcessResult checkSuccess() {
        if (!isSuccess()) {
            throw new ProcessFailedException(this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "ProcessResult[" + command + ": " + exitStatus() + (timedOut ? ", timed out" : "")
                + ", " + stdout.length + " bytes of stdout, " + stderr.length + " of stderr"
                + (truncated() ? " (truncated)" : "") + ", " + duration.toMillis() + " ms]";
    }
}
