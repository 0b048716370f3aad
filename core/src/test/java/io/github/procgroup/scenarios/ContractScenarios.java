package io.github.procgroup.scenarios;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.Signal;
import io.github.procgroup.internal.linux.Posix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The second-JVM halves of {@code ProcessContractTest}: each runs one scenario with the JDK's
 * ProcessBuilder ({@code jdk}) or with procgroup ({@code procgroup}) and prints {@code key=value}
 * lines. In a package of its own: the module-path scenario puts procgroup's module on the module
 * path, where a class of the package {@code io.github.procgroup} on the class path would be hidden.
 */
public final class ContractScenarios {
    private ContractScenarios() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[1];
        switch (args[0]) {
            case "cycles" -> cycles(kind, Integer.parseInt(args[2]));
            case "lookup" -> lookup(kind, args[2], args[3], args.length > 4 ? args[4] : null);
            case "native" -> nativeAccess(kind);
            case "exit-hook" -> exitHook(kind, Path.of(args[2]), Duration.parse(args[3]));
            case "terminal" -> terminal(kind, Boolean.parseBoolean(args[2]));
            case "emfile" -> outOfFds(kind);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Starts and waits for {@code count} children without closing anything, as much code does. */
    private static void cycles(String kind, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Process p = kind.equals("jdk") ? new ProcessBuilder("true").start() : new GroupProcessBuilder("true").start();
            if (p.waitFor() != 0) {
                throw new AssertionError("exit " + p.exitValue());
            }
        }
        System.gc(); // not needed by either: the fds are closed at each reap
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            System.out.println("done=" + count + " fds=" + fds.count());
        }
    }

    /** Runs {@code program} (a bare name) with the child's environment cleared, or with PATH=childPath. */
    private static void lookup(String kind, String program, String childEnv, String directory) throws Exception {
        try {
            Process p;
            if (kind.equals("jdk")) {
                ProcessBuilder b = new ProcessBuilder(program);
                edit(b.environment(), childEnv);
                p = b.directory(directory == null ? null : new java.io.File(directory)).start();
            } else {
                GroupProcessBuilder b = new GroupProcessBuilder(program);
                edit(b.environment(), childEnv);
                p = b.directory(directory == null ? null : new java.io.File(directory)).start();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            System.out.println("ran=" + p.waitFor() + " out=" + out);
        } catch (ErrnoException e) {
            System.out.println("failed=" + e.errnoName());
        } catch (IOException e) {
            // The JDK's: "Cannot run program "x": error=13, Permission denied" (JDK 25: "error: 13 (...)")
            String message = Objects.toString(e.getMessage(), "");
            System.out.println("failed=" + (message.matches("(?s).*error[=:] ?13\\b.*") ? "EACCES"
                    : message.matches("(?s).*error[=:] ?2\\b.*") ? "ENOENT" : message));
        }
    }

    private static void edit(java.util.Map<String, String> environment, String childEnv) {
        if (childEnv.equals("clear")) {
            environment.clear();
        } else if (childEnv.startsWith("PATH=")) {
            environment.put("PATH", childEnv.substring(5));
        }
    }

    /** Uses up the fd limit, then starts a child: the error must name EMFILE and the program. */
    private static void outOfFds(String kind) throws Exception {
        // Load what an error and a start need first: with no fd left, no class file can be opened.
        for (int i = 0; i < 2; i++) {
            try {
                start(kind, "procgroup-no-such-program").waitFor();
            } catch (IOException expected) {
                // the class of the error is loaded now
            }
            start(kind, "true").waitFor();
        }
        List<java.io.FileInputStream> hogs = new ArrayList<>();
        try {
            while (true) {
                hogs.add(new java.io.FileInputStream("/dev/null"));
            }
        } catch (IOException outOfFds) {
            // EMFILE: every fd is taken
        }
        try {
            hogs.remove(hogs.size() - 1).close(); // one free fd: a pipe needs two
            start(kind, "true").waitFor();
            System.out.println("started");
        } catch (ErrnoException e) {
            System.out.println("failed=" + e.errnoName() + " message=" + e.getMessage());
        } catch (IOException e) {
            System.out.println("failed=" + e.getMessage());
        } finally {
            for (java.io.FileInputStream hog : hogs) {
                hog.close();
            }
        }
    }

    private static Process start(String kind, String program) throws IOException {
        return kind.equals("jdk") ? new ProcessBuilder(program).start() : new GroupProcessBuilder(program).start();
    }

    /** Under --illegal-native-access=deny: what the first start, and a signal lookup, do. */
    private static void nativeAccess(String kind) {
        try {
            Process p = kind.equals("jdk") ? new ProcessBuilder("true").start() : new GroupProcessBuilder("true").start();
            System.out.println("started=" + p.waitFor());
        } catch (Throwable t) {
            System.out.println("failed=" + t.getClass().getName() + ": " + t.getMessage());
        }
        try {
            new GroupProcessBuilder("true").start();
        } catch (Throwable t) {
            System.out.println("again=" + t.getClass().getName());
        }
        System.out.println("signal=" + Signal.valueOf("TERM").number());
    }

    /**
     * Starts a server that flushes its state on SIGTERM, prints its pid and returns from main,
     * leaving the server running: the shutdown hook (procgroup) or nothing (the JDK) ends it.
     */
    private static void exitHook(String kind, Path flushed, Duration grace) throws Exception {
        String server = "trap 'echo flushed > \"$0\"; exit 0' TERM; echo ready; while :; do sleep 0.1; done";
        Process p = kind.equals("jdk")
                ? new ProcessBuilder("sh", "-c", server, flushed.toString()).start()
                : new GroupProcessBuilder("sh", "-c", server, flushed.toString()).exitHookGrace(grace).start();
        InputStream out = p.getInputStream();
        byte[] ready = out.readNBytes(6);
        System.out.println("pid=" + p.pid() + " " + new String(ready, StandardCharsets.UTF_8).trim());
        // main returns: the JVM exits once this (the last non-daemon) thread ends
    }

    /** Runs {@code head -c1} on the JVM's terminal (inheritIO) and prints what became of it. */
    private static void terminal(String kind, boolean foreground) throws Exception {
        Process p = kind.equals("jdk")
                ? new ProcessBuilder("head", "-c1").inheritIO().start()
                : new GroupProcessBuilder("head", "-c1").inheritIO().foreground(foreground).start();
        System.out.println("started=" + p.pid());
        System.out.flush();
        boolean exited = false;
        for (int i = 0; i < 100 && !exited; i++) { // up to 20 s; a procgroup child reported stopped ends it early
            exited = p.waitFor(200, TimeUnit.MILLISECONDS);
            if (!exited && p instanceof GroupProcess g && g.stoppedBy().isPresent()) {
                exited = p.waitFor(1500, TimeUnit.MILLISECONDS); // a wait of over a second logs the warning
                break;
            }
        }
        if (exited) {
            // Whether the JVM's group has the terminal (back): a JVM in the background would be stopped reading it.
            boolean jvmForeground = Posix.tcgetpgrp(0) == io.github.procgroup.bindings.linux.LibC.getpgrp();
            System.out.println("\nexit=" + p.exitValue() + " jvmForeground=" + jvmForeground);
        } else {
            String state = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            state = state.substring(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3);
            String reported = p instanceof GroupProcess g
                    ? " stoppedBy=" + g.stoppedBy().map(Signal::signalName).orElse("none") : "";
            System.out.println("\nhung=" + state + reported);
            if (p instanceof GroupProcess g) {
                g.close();
            } else {
                p.destroyForcibly().waitFor();
            }
        }
    }
}
