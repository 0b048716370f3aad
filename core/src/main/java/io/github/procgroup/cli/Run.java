package io.github.procgroup.cli;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.Subreaper;
import io.github.procgroup.internal.linux.ProcTable;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One run of the command: start it in a group of its own, forward signals, wait for it (at most
 * the timeout), end what is left of its tree, reap, and compute the exit status.
 */
final class Run {
    /** GNU timeout's status for "the command timed out". */
    static final int TIMED_OUT = 124;
    /** procgroup itself failed (bad usage, no subreaper). */
    static final int FAILED = 125;
    /** The command exists but cannot be executed. */
    static final int CANNOT_EXECUTE = 126;
    /** The command was not found. */
    static final int NOT_FOUND = 127;
    /** How long to wait, after SIGKILL, for killed adopted descendants to be re-parented and reaped. */
    private static final Duration REAP_LIMIT = Duration.ofSeconds(10);

    private final Options options;
    private final PrintStream err;
    private final Report report;

    Run(Options options, PrintStream err) {
        this.options = options;
        this.err = err;
        this.report = new Report(err, options.verbose());
    }

    /** @return the exit status procgroup should exit with */
    int execute() throws InterruptedException {
        if (options.subreaper()) {
            try {
                Subreaper.enable();
            } catch (ErrnoException e) {
                err.println("procgroup: " + e.getMessage());
                return FAILED;
            }
        }
        SignalForwarder forwarder = new SignalForwarder();
        List<String> notForwarded = forwarder.install();
        GroupProcess process;
        try {
            process = new GroupProcessBuilder(options.command()).inheritIO().newSession(options.newSession()).start();
        } catch (IOException e) {
            err.println("procgroup: " + e.getMessage());
            return startFailure(e);
        }
        forwarder.forwardTo(process);
        report.started(process, options, notForwarded);
        OrphanReaper reaper = options.subreaper() ? OrphanReaper.start(process.pid()) : null;

        Optional<ExitStatus> exit = options.timeout().isPresent()
                ? process.awaitExit(options.timeout().get()) : Optional.of(process.awaitExit());
        if (reaper != null) {
            reaper.stop();
        }
        // Listed before any signal, so that --verbose shows the tree as it was.
        List<ProcTable.Stat> toEnd = Processes.toEnd(process.processGroupId(), options.subreaper());
        List<String> commands = options.verbose() ? toEnd.stream().map(s -> s.info().command()).toList() : List.of();
        if (exit.isEmpty()) {
            report.timedOut(options.timeout().get(), options.grace());
        }
        TreeEnder.end(process, options.subreaper(), options.grace(), toEnd);
        ExitStatus status = process.awaitExit();
        boolean allReaped = reaper == null || reaper.reapAll(REAP_LIMIT);
        report.finished(toEnd, commands, status, process.resourceUsage(), allReaped);
        return exit.isEmpty() ? TIMED_OUT : status.shellCode();
    }

    /** 127 for a command that does not exist (as a shell reports it), 126 for one that cannot run. */
    private static int startFailure(IOException e) {
        if (e instanceof ErrnoException errno
                && (errno.errnoName().equals("ENOENT") || errno.errnoName().equals("ENOTDIR"))) {
            return NOT_FOUND;
        }
        return CANNOT_EXECUTE;
    }
}
