package io.github.procgroup.cli;

import io.github.procgroup.Containment;
import io.github.procgroup.ErrnoException;
import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.Subreaper;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run of the command: start it as a tree of its own (under {@code --foreground} with the
 * terminal handed to its group, {@link GroupProcessBuilder#foreground(boolean)}), forward signals,
 * wait for it (at most the timeout), end what is left of its tree with the library's
 * {@link GroupProcess#terminate}, under {@code --subreaper} end and reap every adopted orphan too,
 * and compute the exit status.
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
    /** How long to wait, after SIGKILL, for killed adopted descendants to die and be reaped. */
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
                // The command is a pure supervisor: every child it has is procgroup's, so every orphan is ours to reap.
                Subreaper.enable(Subreaper.Reaping.ALL_ORPHANS);
            } catch (ErrnoException e) {
                err.println("procgroup: " + e.getMessage());
                return FAILED;
            }
        }
        SignalForwarder forwarder = new SignalForwarder();
        forwarder.install();
        GroupProcess process;
        try {
            process = new GroupProcessBuilder(options.command()).inheritIO().newSession(options.newSession())
                    .foreground(options.foreground())
                    .containment(options.containment()).limits(options.limits()).start();
        } catch (IOException e) {
            if (options.containment() != Containment.GROUP && e.getMessage().contains("cgroup")) {
                err.println("procgroup: --cgroup: " + e.getMessage()); // EACCES, EROFS...: the cgroup, not the program
                return FAILED;
            }
            return StartFailure.report(options.command().getFirst(), e, err);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            // No usable cgroup v2, or a limit the host cannot enforce: the message names the cause.
            err.println("procgroup: --cgroup: " + e.getMessage());
            return FAILED;
        }
        forwarder.forwardTo(process::signal);
        report.started(process.pid(), process.processGroupId(), process.containment(), options);

        Optional<ExitStatus> exit = options.timeout().isPresent()
                ? process.awaitExit(options.timeout().get()) : Optional.of(process.awaitExit());
        // Listed before any signal, so that --verbose shows the tree as it was.
        List<ProcessInfo> ended = new ArrayList<>(options.verbose() ? process.tree() : List.of());
        if (exit.isEmpty()) {
            report.timedOut(options);
        }
        ExitStatus status = process.terminate(options.signal(), options.grace());
        boolean allReaped = true;
        if (options.subreaper()) {
            try {
                ended.addAll(Subreaper.endAdopted(REAP_LIMIT));
            } catch (IllegalStateException stuck) {
                err.println("procgroup: " + stuck.getMessage());
                allReaped = false;
            }
        }
        report.finished(ended, status, process.resourceUsage(), allReaped);
        return exitCode(exit.isEmpty(), status);
    }

    /** GNU timeout's rule: 124 after a timeout (unless --preserve-status), else the command's status. */
    int exitCode(boolean timedOut, ExitStatus status) {
        return timedOut && !options.preserveStatus() ? TIMED_OUT : status.shellCode();
    }
}
