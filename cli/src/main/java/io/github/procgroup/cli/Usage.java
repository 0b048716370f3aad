package io.github.procgroup.cli;

/** The texts of {@code --help} and {@code --version}. */
final class Usage {
    static final String HELP = """
            usage: procgroup [OPTION]... DURATION COMMAND [ARG]...
               or: procgroup [OPTION]... [--timeout DURATION] [--] COMMAND [ARG]...
               or: procgroup --help | --version
              Runs COMMAND in a process group of its own with stdio inherited, forwards SIGINT,
              SIGTERM, SIGHUP, SIGUSR1 and SIGUSR2 to the whole group, and when COMMAND exits or
              DURATION passes, ends what is left of its tree (SIGTERM, then SIGKILL after the grace)
              and reaps it. The first form is GNU timeout's; a first operand that reads as a
              duration is DURATION when a command follows it.

              --timeout=D, --timeout D   end the tree after D and exit 124 (0: no limit, the default)
              -k D, --kill-after=D, --grace=D
                                         time between the first signal and SIGKILL (default 5s)
              -s SIG, --signal=SIG       first signal to end the tree with (default TERM); a name
                                         (TERM, SIGINT, hup) or a number (15)
              --preserve-status          after a timeout, exit with COMMAND's status, not 124
              --foreground               make COMMAND's group the terminal's foreground group while
                                         it runs, so it can read the terminal and gets Ctrl-C; its
                                         tree is still ended as always (GNU timeout's --foreground
                                         leaves COMMAND's children running); not with --new-session
              --subreaper                adopt, end and reap orphaned descendants too (like tini -s)
              --new-session              start COMMAND in a new session (setsid), not only a group
              -v, --verbose              report the group, what was ended and the resource usage
              --cgroup                   also put COMMAND in a cgroup v2 of its own (Linux): no
                                         process of the tree can escape; fails where none can be made
              --memory=SIZE              with --cgroup: memory.max for the tree (K, M, G, T suffixes)
              --pids=N                   with --cgroup: pids.max for the tree
              --help                     print this help and exit
              --version                  print the version and exit

              D: a number with an optional unit ms, s (default), m, h, d: 30, 1.5s, 250ms, 2m.
              Exit status: COMMAND's, or 128+N if signal N ended it; 124 on timeout (also when
              SIGKILL was needed), unless --preserve-status; 125 procgroup itself failed;
              126 COMMAND found but cannot be run; 127 COMMAND not found.""";

    private Usage() {
    }

    /** @return {@code procgroup VERSION}, from the jar manifest's {@code Implementation-Version} */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        if (version == null) {
            version = Main.class.getModule().getDescriptor() == null ? null
                    : Main.class.getModule().getDescriptor().rawVersion().orElse(null);
        }
        return "procgroup " + (version == null ? "(unknown version: not run from its jar)" : version);
    }
}
