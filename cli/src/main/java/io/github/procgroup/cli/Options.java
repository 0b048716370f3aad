package io.github.procgroup.cli;

import io.github.procgroup.Containment;
import io.github.procgroup.Limits;
import io.github.procgroup.Signal;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The command line of {@code procgroup}, parsed. Two forms are accepted: GNU {@code timeout}'s
 * {@code [OPTION]... DURATION COMMAND [ARG]...} and procgroup's own
 * {@code [OPTION]... [--timeout DURATION] [--] COMMAND [ARG]...}. Without {@code --timeout}, a first
 * operand that reads as a duration is the timeout when a command follows it, as in GNU timeout.
 *
 * @param timeout        how long the command may run; empty (or a duration of 0): no limit
 * @param grace          how long the tree has between the first signal and SIGKILL ({@code -k})
 * @param signal         the first signal sent to end the tree ({@code -s}; default SIGTERM)
 * @param preserveStatus on timeout, exit with the command's status instead of 124
 * @param foreground     hand the terminal to the command's group while it runs ({@code tcsetpgrp})
 * @param subreaper      adopt and reap orphaned descendants ({@code PR_SET_CHILD_SUBREAPER})
 * @param newSession     start the command in a new session rather than only a new group
 * @param verbose        report the group, what was ended and the resource usage on stderr
 * @param containment    GROUP, or CGROUP with {@code --cgroup} (a cgroup v2 of its own)
 * @param limits         {@code --memory} and {@code --pids}, written into the command's cgroup
 * @param help           print the usage and exit
 * @param version        print the version and exit
 * @param command        the program and its arguments
 */
record Options(Optional<Duration> timeout, Duration grace, Signal signal, boolean preserveStatus,
               boolean foreground, boolean subreaper, boolean newSession, boolean verbose,
               Containment containment, Limits limits, boolean help, boolean version, List<String> command) {
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

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
        return new Parser(args).parse();
    }

    /** One pass over the arguments, GNU getopt style: stops at the first operand. */
    private static final class Parser {
        private final String[] args;
        private int next;
        private Optional<Duration> timeout = Optional.empty();
        private boolean timeoutGiven;
        private Duration grace = DEFAULT_GRACE;
        private Signal signal = Signal.TERM;
        private boolean preserveStatus;
        private boolean foreground;
        private boolean subreaper;
        private boolean newSession;
        private boolean verbose;
        private Containment containment = Containment.GROUP;
        private Limits limits = Limits.NONE;

        Parser(String[] args) {
            this.args = args;
        }

        Options parse() throws UsageException {
            while (next < args.length && args[next].startsWith("-") && !args[next].equals("-")) {
                String arg = args[next++];
                if (arg.equals("--")) {
                    break;
                }
                if (arg.startsWith("--")) {
                    if (longOption(arg)) {
                        return special(arg);
                    }
                } else {
                    shortOptions(arg);
                }
            }
            if (!timeoutGiven && next + 1 < args.length && Durations.isDuration(args[next])) {
                setTimeout(Durations.parse(args[next++]));
            }
            if (next == args.length) {
                throw new UsageException(timeoutGiven ? "no command given" : "missing operand: DURATION COMMAND, or -- COMMAND");
            }
            if (foreground && newSession) {
                throw new UsageException("--foreground and --new-session do not go together: a new session "
                        + "has no controlling terminal to hand to the command");
            }
            List<String> command = List.of(args).subList(next, args.length);
            if (limits.any() && containment == Containment.GROUP) {
                throw new UsageException("--memory and --pids need --cgroup: they are limits of the command's cgroup");
            }
            return new Options(timeout, grace, signal, preserveStatus, foreground, subreaper, newSession, verbose,
                    containment, limits, false, false, command);
        }

        private Options special(String arg) {
            boolean help = arg.equals("--help");
            return new Options(timeout, grace, signal, preserveStatus, foreground, subreaper, newSession, verbose,
                    containment, limits, help, !help, List.of());
        }

        /** @return true for --help and --version, which end the parsing */
        private boolean longOption(String arg) throws UsageException {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            switch (name) {
                case "--timeout" -> setTimeout(duration(name, value(name, arg, eq)));
                case "--grace", "--kill-after" -> grace = duration(name, value(name, arg, eq));
                case "--signal" -> signal = signal(value(name, arg, eq));
                case "--preserve-status" -> preserveStatus = flag(name, eq);
                case "--foreground" -> foreground = flag(name, eq);
                case "--subreaper" -> subreaper = flag(name, eq);
                case "--new-session" -> newSession = flag(name, eq);
                case "--verbose" -> verbose = flag(name, eq);
                case "--cgroup" -> containment = flag(name, eq) ? Containment.CGROUP : Containment.GROUP;
                case "--memory" -> limits = limits.withMaxMemory(bytes(name, value(name, arg, eq)));
                case "--pids" -> limits = limits.withMaxProcesses(count(name, value(name, arg, eq)));
                case "--help", "--version" -> {
                    return flag(name, eq);
                }
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
            return false;
        }

        /** {@code -v}, {@code -k 5}, {@code -k5}, {@code -s KILL}, {@code -vsKILL}: clustered as getopt does. */
        private void shortOptions(String arg) throws UsageException {
            for (int i = 1; i < arg.length(); i++) {
                char c = arg.charAt(i);
                switch (c) {
                    case 'v' -> verbose = true;
                    case 'k', 's' -> {
                        String value = i + 1 < arg.length() ? arg.substring(i + 1) : nextValue("-" + c);
                        if (c == 'k') {
                            grace = duration("-k", value);
                        } else {
                            signal = signal(value);
                        }
                        return;
                    }
                    default -> throw new UsageException("unknown option '-" + c + "'");
                }
            }
        }

        /** A size in bytes: digits with an optional K, M, G or T suffix (powers of 1024), as systemd's MemoryMax. */
        private static long bytes(String name, String value) throws UsageException {
            String digits = value;
            long unit = 1;
            int suffix = "KMGT".indexOf(Character.toUpperCase(value.isEmpty() ? ' ' : value.charAt(value.length() - 1)));
            if (suffix >= 0) {
                digits = value.substring(0, value.length() - 1);
                unit = 1L << (10 * (suffix + 1));
            }
            try {
                long n = Long.parseLong(digits);
                if (n > 0 && n <= Long.MAX_VALUE / unit) {
                    return n * unit;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new UsageException("invalid size for " + name + ": '" + value + "' (a positive number, optionally K, M, G or T)");
        }

        private static int count(String name, String value) throws UsageException {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new UsageException("invalid count for " + name + ": '" + value + "' (a positive number)");
        }

        private void setTimeout(Duration d) {
            timeoutGiven = true;
            timeout = d.isZero() ? Optional.empty() : Optional.of(d);
        }

        private boolean flag(String name, int eq) throws UsageException {
            if (eq >= 0) {
                throw new UsageException(name + " takes no value");
            }
            return true;
        }

        private String value(String name, String arg, int eq) throws UsageException {
            return eq >= 0 ? arg.substring(eq + 1) : nextValue(name);
        }

        private String nextValue(String name) throws UsageException {
            if (next >= args.length) {
                throw new UsageException(name + " needs a value");
            }
            return args[next++];
        }
    }

    private static Duration duration(String name, String value) throws UsageException {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + ": " + e.getMessage());
        }
    }

    /** {@code TERM}, {@code SIGTERM}, {@code term} or {@code 15}, as GNU timeout's -s takes them. */
    static Signal signal(String text) throws UsageException {
        String name = text.toUpperCase(Locale.ROOT);
        name = name.startsWith("SIG") ? name.substring(3) : name;
        try {
            return name.chars().allMatch(Character::isDigit) && !name.isEmpty()
                    ? Signal.ofNumber(Integer.parseInt(name)) : Signal.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid signal '" + text + "'");
        }
    }
}
