package io.github.procgroup.cli;

import io.github.procgroup.Signal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --foreground}, as GNU timeout has it: the command stays in procgroup's own process group
 * (the terminal's foreground group when procgroup runs from a shell prompt), so it can read the
 * terminal and gets the terminal's signals (Ctrl-C, Ctrl-Z) itself. The price, the same as GNU's:
 * it has no group of its own, so only the command itself is signalled on timeout; its children are
 * not ended, neither on timeout nor when it exits.
 */
final class ForegroundRun {
    /** The errno in the JDK's message: {@code error=2, No such...} (up to 21), {@code error: 2 (No such...)} (later). */
    private static final Pattern JDK_ERROR = Pattern.compile("error(?:=|: )(\\d+)(?:, | \\()([^)]+)");
    private static final int ENOENT = 2;

    private final Options options;
    private final PrintStream err;
    private final Report report;

    ForegroundRun(Options options, PrintStream err) {
        this.options = options;
        this.err = err;
        this.report = new Report(err, options.verbose());
    }

    /** @return the exit status procgroup should exit with */
    int execute() throws InterruptedException {
        SignalForwarder forwarder = new SignalForwarder();
        forwarder.install();
        Process child;
        try {
            child = new ProcessBuilder(options.command()).inheritIO().start();
        } catch (IOException e) {
            return startFailure(e);
        }
        forwarder.forwardTo(signal -> PidfdSignals.send(child, signal));
        report.started(child.pid(), ProcessHandle.current().pid(), io.github.procgroup.Containment.GROUP, options);
        boolean timedOut = false;
        if (options.timeout().isPresent()) {
            timedOut = !child.waitFor(options.timeout().get().toNanos(), TimeUnit.NANOSECONDS);
            if (timedOut) {
                report.timedOut(options);
                PidfdSignals.send(child, options.signal());
                if (!child.waitFor(options.grace().toNanos(), TimeUnit.NANOSECONDS)) {
                    PidfdSignals.send(child, Signal.KILL);
                }
            }
        }
        int code = child.waitFor();
        if (options.verbose()) {
            err.println("procgroup: command exit value " + code + " (--foreground: its children were not ended)");
        }
        return timedOut && !options.preserveStatus() ? Run.TIMED_OUT : code;
    }

    /** The JDK's {@code Cannot run program "x": ... error: 2 (No such file or directory)}, as one GNU-style line. */
    private int startFailure(IOException e) {
        String program = options.command().getFirst();
        Matcher m = JDK_ERROR.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) {
            err.println("procgroup: failed to run command '" + program + "': " + e.getMessage());
            return Run.FAILED;
        }
        err.println("procgroup: failed to run command '" + program + "': " + m.group(2).strip());
        return Integer.parseInt(m.group(1)) == ENOENT ? Run.NOT_FOUND : Run.CANNOT_EXECUTE;
    }
}
