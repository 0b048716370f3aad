package io.github.procgroup.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The command line of {@code procgroup}, parsed.
 *
 * @param timeout    how long the command may run; empty (or {@code --timeout 0}): no limit
 * @param grace      how long the group has between SIGTERM and SIGKILL
 * @param subreaper  adopt and reap orphaned descendants ({@code PR_SET_CHILD_SUBREAPER})
 * @param newSession start the command in a new session rather than only a new group
 * @param verbose    report the group, what was killed and the resource usage on stderr
 * @param help       print the usage and exit
 * @param command    the program and its arguments
 */
record Options(Optional<Duration> timeout, Duration grace, boolean subreaper, boolean newSession,
               boolean verbose, boolean help, List<String> command) {
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    static final String USAGE = """
            usage: procgroup [--timeout DURATION] [--grace DURATION] [--subreaper] [--new-session] [--verbose] -- CMD [ARG...]
              Runs CMD in a new process group with stdio inherited, forwards SIGINT, SIGTERM, SIGHUP,
              SIGUSR1 and SIGUSR2 to the whole group, and ends the group (SIGTERM, then SIGKILL after
              the grace) when CMD exits or the timeout expires.
              --timeout D    end the group after D and exit 124 (default: no limit; 0: no limit)
              --grace D      time between SIGTERM and SIGKILL (default 5s)
              --subreaper    adopt, end and reap orphaned descendants too (like tini -s)
              --new-session  start CMD in a new session (setsid) instead of only a new group
              --verbose      report the group, what was killed and the resource usage on stderr
              D: a number with an optional unit ms, s (default), m, h, d; for example 30, 1.5s, 250ms.
              exit status: CMD's, or 128+N if signal N ended it; 124 timeout; 125 procgroup failed;
              126 CMD cannot be executed; 127 CMD not found.""";

    /** A command line procgroup cannot run; the message says why. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * @param args the arguments; options end at {@code --} or at the first argument that is not one
     * @return the options
     * @throws UsageException naming the offending argument
     */
    static Options parse(String... args) throws UsageException {
        Optional<Duration> timeout = Optional.empty();
        Duration grace = DEFAULT_GRACE;
        boolean subreaper = false;
        boolean newSession = false;
        boolean verbose = false;
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            String arg = args[i++];
            if (arg.equals("--")) {
                break;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--timeout" -> {
                    Duration d = duration(name, arg, args, i);
                    timeout = d.isZero() ? Optional.empty() : Optional.of(d);
                    i += arg.contains("=") ? 0 : 1;
                }
                case "--grace" -> {
                    grace = duration(name, arg, args, i);
                    i += arg.contains("=") ? 0 : 1;
                }
                case "--subreaper" -> subreaper = true;
                case "--new-session" -> newSession = true;
                case "--verbose", "-v" -> verbose = true;
                case "--help", "-h" -> {
                    return new Options(timeout, grace, subreaper, newSession, verbose, true, List.of());
                }
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (i == args.length) {
            throw new UsageException("no command given");
        }
        List<String> command = List.of(args).subList(i, args.length);
        return new Options(timeout, grace, subreaper, newSession, verbose, false, command);
    }

    /** The value of {@code --name=VALUE} or {@code --name VALUE} (at {@code args[next]}). */
    private static Duration duration(String name, String arg, String[] args, int next) throws UsageException {
        String value;
        if (arg.contains("=")) {
            value = arg.substring(arg.indexOf('=') + 1);
        } else if (next < args.length) {
            value = args[next];
        } else {
            throw new UsageException(name + " needs a duration");
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + ": " + e.getMessage());
        }
    }
}
