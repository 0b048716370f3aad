package io.github.procgroup.cli;

import java.io.PrintStream;

/**
 * The {@code procgroup} command: runs a command as a process tree of its own, with a timeout and
 * signal forwarding, and ends and reaps the whole tree, like GNU {@code timeout} plus {@code tini}.
 * See {@code procgroup --help} and docs/cli.md.
 *
 * <pre>
 * procgroup [OPTION]... DURATION COMMAND [ARG]...
 * procgroup [OPTION]... [--timeout DURATION] [--] COMMAND [ARG]...
 * </pre>
 *
 * Exit status: the command's, or 128+N if signal N ended it; 124 on timeout; 125 if procgroup
 * itself failed; 126 if the command cannot be executed; 127 if it was not found.
 */
public final class Main {
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with the command's status.
     *
     * @param args the options, the command and its arguments
     */
    public static void main(String[] args) {
        // The library's warnings (a command stopped by SIGTTIN, say) on the default System.Logger
        // (java.util.logging): one line like procgroup's own, instead of a dated two-line record.
        if (System.getProperty(LOG_FORMAT) == null) {
            System.setProperty(LOG_FORMAT, "procgroup: %5$s%6$s%n");
        }
        int status = run(args, System.out, System.err);
        // 125: procgroup failed, maybe with the tree still running; the JVM's exit hook then kills it.
        System.exit(status);
    }

    /**
     * @param args the command line
     * @param out  where {@code --help} and {@code --version} go
     * @param err  where errors and {@code --verbose} reports go
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("procgroup: " + e.getMessage() + " (try --help)");
            return Run.FAILED;
        }
        if (options.help()) {
            out.println(Usage.HELP);
            return 0;
        }
        if (options.version()) {
            out.println(Usage.version());
            return 0;
        }
        try {
            return new Run(options, err).execute();
        } catch (InterruptedException e) {
            err.println("procgroup: interrupted");
            return Run.FAILED;
        } catch (RuntimeException e) {
            err.println("procgroup: " + e);
            return Run.FAILED;
        }
    }
}
