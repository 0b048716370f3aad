package io.github.procgroup.cli;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.ResourceUsage;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

    void started(long pid, long pgid, io.github.procgroup.Containment containment, Options options) {
        if (!verbose) {
            return;
        }
        out.println("procgroup: started pid " + pid
                + " in process group " + pgid + (options.newSession() ? " (new session)" : "")
                + (options.foreground() ? " (--foreground)" : "")
                + ", containment " + containment
                + (options.limits().any() ? ", limits " + limitsText(options) : "")
                + options.timeout().map(t -> ", timeout " + Durations.format(t)).orElse("")
                + ", " + options.signal().signalName() + " then SIGKILL after " + Durations.format(options.grace())
                + (options.subreaper() ? ", subreaper" : ""));
    }

    private static String limitsText(Options options) {
        StringBuilder text = new StringBuilder();
        if (options.limits().maxMemoryBytes() > 0) {
            text.append("memory ").append(options.limits().maxMemoryBytes()).append(" bytes");
        }
        if (options.limits().maxProcesses() > 0) {
            text.append(text.isEmpty() ? "" : ", ").append("pids ").append(options.limits().maxProcesses());
        }
        return text.toString();
    }

    void timedOut(Options options) {
        if (verbose) {
            out.println("procgroup: timed out after " + Durations.format(options.timeout().orElseThrow())
                    + ": sending " + options.signal().signalName() + " to the tree, SIGKILL after " + Durations.format(options.grace()));
        }
    }

    /**
     * The processes that were ended, indented under parents, then the command's status and
     * resource usage.
     *
     * @param ended     what ran when the command exited or timed out, and what was adopted and killed after
     * @param allReaped whether every adopted process was reaped before the end
     */
    void finished(List<ProcessInfo> ended, ExitStatus status, Optional<ResourceUsage> usage, boolean allReaped) {
        if (!verbose) {
            return;
        }
        Map<Long, ProcessInfo> byPid = new LinkedHashMap<>();
        ended.stream().sorted(Comparator.comparingLong(ProcessInfo::pid)).forEach(p -> byPid.putIfAbsent(p.pid(), p));
        out.println(byPid.isEmpty() ? "procgroup: nothing left to end"
                : "procgroup: ended " + byPid.size() + " process" + (byPid.size() == 1 ? "" : "es") + ":");
        Map<Long, Integer> depth = new HashMap<>();
        for (ProcessInfo p : byPid.values()) { // pid order: a parent usually precedes its children
            int d = depth.getOrDefault(p.parentPid(), -1) + 1;
            depth.put(p.pid(), d);
            out.printf("procgroup:   %7d %s%s%n", p.pid(), "  ".repeat(d), p.command());
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
