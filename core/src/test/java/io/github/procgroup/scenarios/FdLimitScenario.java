package io.github.procgroup.scenarios;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.ProcessInfo;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs in a JVM started under a low {@code ulimit -n}: starts a tree with a member and an
 * escapee in a session of its own (its parent, the leader, still runs), prints its pids, opens
 * files until the fd limit is reached, then ends the tree with {@code close()} ("close") or by
 * exiting the JVM, which leaves it to the shutdown hook ("exit-hook"). Prints {@code key=value}.
 */
public final class FdLimitScenario {
    static final String TREE = "sleep 600 & setsid sleep 601 & echo ready; wait";

    private FdLimitScenario() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("helper-sweep")) {
            helperSweep();
            return;
        }
        // The test runs with classes in directories, where each class loaded needs an fd: end one
        // tree of the same shape first, so every class on the way is loaded (from a jar, as users
        // run it, loading needs no new fd).
        startAndList().close();
        GroupProcess p = startAndList();
        System.out.println("pids=" + p.tree().stream().map(i -> Long.toString(i.pid())).collect(Collectors.joining(",")));
        List<FileInputStream> held = new ArrayList<>();
        try {
            while (true) {
                held.add(new FileInputStream("/dev/null"));
            }
        } catch (IOException limit) {
            System.out.println("exhausted=" + held.size() + " " + limit.getMessage());
        }
        switch (args[0]) {
            case "close" -> {
                try {
                    p.close();
                    System.out.println("closed=ok");
                } catch (RuntimeException e) {
                    System.out.println("closed=" + e);
                }
                Thread.sleep(Long.MAX_VALUE);
            }
            case "exit-hook" -> System.exit(0);
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println(held.size()); // keeps the fds reachable until here
    }

    /**
     * For k = 0..24 fds left free: starts {@code cat} with three pipes and killOnParentDeath,
     * closes it if it started, frees every fd again and prints what happened and how many fds
     * and children the attempt left behind ({@code k=<k> leaked=<fds> children=<n> outcome=...}).
     */
    private static void helperSweep() throws Exception {
        try (GroupProcess warm = new GroupProcessBuilder("cat").killOnParentDeath(true).start()) {
            warm.getOutputStream().close();
        }
        try {
            new GroupProcessBuilder("/nonexistent/program").start(); // loads the error path's classes
        } catch (IOException expected) {
            // as intended
        }
        int baseline = openFds();
        for (int free = 0; free <= 24; free++) {
            List<FileInputStream> held = exhaust();
            for (int i = 0; i < free && !held.isEmpty(); i++) {
                held.remove(held.size() - 1).close();
            }
            String outcome;
            try (GroupProcess p = new GroupProcessBuilder("cat").killOnParentDeath(true).start()) {
                outcome = "started";
            } catch (IOException e) {
                outcome = e.getMessage();
            }
            for (FileInputStream f : held) {
                f.close();
            }
            long deadline = System.nanoTime() + 5_000_000_000L; // a killed sentinel is reaped a moment later
            while (ProcessHandle.current().children().count() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            long children = ProcessHandle.current().children().count();
            System.out.println("k=" + free + " leaked=" + (openFds() - baseline) + " children=" + children
                    + " outcome=" + outcome);
        }
        System.out.println("done=1");
    }

    private static List<FileInputStream> exhaust() {
        List<FileInputStream> held = new ArrayList<>();
        try {
            while (true) {
                held.add(new FileInputStream("/dev/null"));
            }
        } catch (IOException limit) {
            return held;
        }
    }

    private static int openFds() throws IOException {
        try (var entries = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return (int) entries.count() - 1;
        }
    }

    private static GroupProcess startAndList() throws Exception {
        GroupProcess p = new GroupProcessBuilder("sh", "-c", TREE).start();
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        if (!"ready".equals(out.readLine())) {
            throw new IllegalStateException("the tree did not start");
        }
        List<ProcessInfo> tree = p.tree();
        while (tree.size() < 3) { // the leader, its member, its escapee
            Thread.sleep(10);
            tree = p.tree();
        }
        return p;
    }
}
