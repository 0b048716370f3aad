package io.github.procgroup.cli;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.ResourceUsage;
import io.github.procgroup.internal.linux.ProcTable;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code --verbose} prints on stderr, each line starting with {@code procgroup:}. */
final class Report {
    private final PrintStream out;
    private final boolean verbose;

    Report(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    void started(GroupProcess process, Options options, List<String> notForwarded) {
        if (!verbose) {
            return;
        }
        out.println("procgroup: started pid " + process.pid() + " in process group " + process.processGroupId()
                + (options.newSession() ? " (new session)" : "")
                + options.timeout().map(t -> ", timeout " + Durations.format(t)).orElse("")
                + ", grace " + Durations.format(options.grace())
                + (options.subreaper() ? ", subreaper" : ""));
        for (String signal : notForwarded) {
            out.println("procgroup: not forwarded: " + signal);
        }
    }

    void timedOut(Duration timeout, Duration grace) {
        if (verbose) {
            out.println("procgroup: timed out after " + Durations.format(timeout)
                    + ": SIGTERM to the tree, SIGKILL after " + Durations.format(grace));
        }
    }

    /** The tree that was ended, indented under parents, then the command's status and resource usage. */
    void finished(List<ProcTable.Stat> ended, List<String> commands, ExitStatus status,
                  Optional<ResourceUsage> usage, boolean allReaped) {
        if (!verbose) {
            return;
        }
        out.println(ended.isEmpty() ? "procgroup: nothing left to end"
                : "procgroup: ended " + ended.size() + " process" + (ended.size() == 1 ? "" : "es") + ":");
        Map<Long, Integer> depth = new HashMap<>();
        for (int i = 0; i < ended.size(); i++) { // pid order: a parent usually precedes its children
            ProcTable.Stat p = ended.get(i);
            int d = depth.getOrDefault(p.ppid(), -1) + 1;
            depth.put(p.pid(), d);
            out.printf("procgroup:   %7d %s%s%n", p.pid(), "  ".repeat(d), commands.get(i));
        }
        if (!allReaped) {
            out.println("procgroup: some adopted descendants were still not reaped");
        }
        out.println("procgroup: command " + status + usage.map(Report::format).orElse(""));
    }

    private static String format(ResourceUsage u) {
        return String.format("; user %.3fs, system %.3fs, max RSS %.1f MiB", u.userCpu().toNanos() / 1e9,
                u.systemCpu().toNanos() / 1e9, u.maxRssBytes() / (1024.0 * 1024.0));
    }
}
