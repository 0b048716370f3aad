package io.github.procgroup.scenarios;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.ParentDeath;
import io.github.procgroup.ProcessInfo;
import io.github.procgroup.Signal;
import io.github.procgroup.Subreaper;
import io.github.procgroup.testing.ProcFs;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Programs the tests run in a JVM of their own (see {@code testing.ChildJvm}), for what the test
 * JVM must not do itself: die by SIGKILL, exit, become a subreaper. Each prints {@code key=value}
 * lines for the test to read. The first argument names the scenario.
 */
public final class Scenarios {
    /** A tree of 1 + 2 + 1 processes whose members ignore SIGHUP; prints the pgid once all run. */
    static final String HUP_IGNORING_TREE = "trap '' HUP; sleep 600 & sh -c \"trap '' HUP; sleep 601 & wait\" & "
            + "echo ready=1; wait";

    private Scenarios() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "kill-on-parent-death" -> startTreeAndWait(new GroupProcessBuilder("sh", "-c", HUP_IGNORING_TREE)
                    .killOnParentDeath(Boolean.parseBoolean(args[1])).killOnJvmExit(false));
            case "jvm-exit" -> {
                startTree(new GroupProcessBuilder("sh", "-c", HUP_IGNORING_TREE)
                        .killOnJvmExit(Boolean.parseBoolean(args[1])));
                System.exit(0); // runs the shutdown hooks
            }
            case "signal-me-parent" -> {
                Process child = startJvm("signal-me-child");
                System.out.println("child=" + child.pid());
                System.out.println(new BufferedReader(child.inputReader()).readLine()); // its ready=1
                Thread.sleep(Long.MAX_VALUE);
            }
            case "signal-me-thread-parent" -> {
                // prctl(2): the signal follows the parent THREAD. This one starts the child and ends.
                long[] child = new long[1];
                Thread starter = new Thread(() -> {
                    try {
                        Process p = startJvm("signal-me-child");
                        child[0] = p.pid();
                        System.out.println("child-" + new BufferedReader(p.inputReader()).readLine()); // child-ready=1
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                starter.start();
                starter.join();
                System.out.println("child=" + child[0]);
                Thread.sleep(Long.MAX_VALUE);
            }
            case "signal-me-child" -> {
                ParentDeath.signalMe(Signal.KILL);
                System.out.println("ready=1");
                Thread.sleep(Long.MAX_VALUE);
            }
            case "kill-on-parent-death-leader-exits" -> {
                // The leader exits at once; its HUP-ignoring child runs on, re-parented to init.
                GroupProcess p = startTree(new GroupProcessBuilder("sh", "-c", "trap '' HUP; sleep 600 & echo ready=1")
                        .killOnParentDeath(true).killOnJvmExit(false));
                System.out.println("leader=" + p.waitFor());
                Thread.sleep(Long.MAX_VALUE);
            }
            case "subreaper-supervisor" -> {
                // A subreaper in the session of the JVM below: it adopts that JVM's tree when the JVM dies.
                Subreaper.enable();
                Process jvm = startJvm("kill-on-parent-death", args[1]);
                System.out.println("jvm=" + jvm.pid());
                BufferedReader out = new BufferedReader(jvm.inputReader());
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.startsWith("pgid="));
                System.out.println(line);
                Thread.sleep(Long.MAX_VALUE);
            }
            case "signal-me-late-parent" -> {
                Process child = startJvm("signal-me-late-child", Long.toString(ProcessHandle.current().pid()), args[1]);
                System.out.println("child=" + child.pid());
                Thread.sleep(Long.MAX_VALUE);
            }
            case "signal-me-late-child" -> {
                // Its stdout is a pipe to the parent, which will be dead: it reports in a file.
                long parent = Long.parseLong(args[1]);
                Path report = Path.of(args[2]);
                try {
                    while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L) == parent) {
                        Thread.sleep(5); // until the parent has died, before the call
                    }
                    Files.writeString(report, "calling\n");
                    ParentDeath.signalMe(Signal.KILL, parent);
                    Files.writeString(report, "survived\n", java.nio.file.StandardOpenOption.APPEND);
                } catch (Throwable e) {
                    Files.writeString(report, e + "\n", java.nio.file.StandardOpenOption.APPEND);
                }
                Thread.sleep(Long.MAX_VALUE);
            }
            case "subreaper" -> subreaper();
            case "subreaper-all-orphans" -> subreaperAllOrphans();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Starts this class with {@code args} in a JVM of its own, stderr merged into its stdout. */
    private static Process startJvm(String... args) throws java.io.IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Scenarios.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static GroupProcess startTree(GroupProcessBuilder builder) throws Exception {
        GroupProcess p = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        if (!"ready=1".equals(out.readLine())) {
            throw new IllegalStateException("the tree did not start");
        }
        System.out.println("pgid=" + p.processGroupId());
        System.out.flush();
        return p;
    }

    private static void startTreeAndWait(GroupProcessBuilder builder) throws Exception {
        startTree(builder);
        Thread.sleep(Long.MAX_VALUE); // until the test SIGKILLs this JVM
    }

    /**
     * A subreaper JVM starts a child that leaves two escapees, a setsid'd child (its parent, the
     * leader, lives) and a daemon (fork, setsid, and the middle process exits at once), then
     * closes the child and reports what survived and what was left unreaped.
     */
    private static void subreaper() throws Exception {
        Subreaper.enable();
        System.out.println("enabled=" + Subreaper.isEnabled());
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "setsid sleep 600 & echo setsid=$!; (setsid sleep 601 & echo daemon=$!); echo ready=1; exec sleep 602")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        long setsid = Long.parseLong(out.readLine().substring("setsid=".length()));
        long daemon = Long.parseLong(out.readLine().substring("daemon=".length()));
        out.readLine();
        System.out.println("setsid=" + setsid);
        System.out.println("daemon=" + daemon);
        awaitParent(daemon, ProcessHandle.current().pid()); // the daemon was adopted by this JVM
        Set<Long> traced = p.tree().stream().map(ProcessInfo::pid).collect(Collectors.toSet());
        System.out.println("traced=" + traced.contains(setsid) + "," + traced.contains(daemon));
        p.close();
        System.out.println("survivors=" + List.of(setsid, daemon).stream().filter(ProcFs::running).count());
        long deadline = System.nanoTime() + 5_000_000_000L; // the tracker reaps every 100 ms
        while (!zombieChildren().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("zombies=" + zombieChildren());
        // The JDK's own children keep their exit status: the tracker never reaps what is not a tree's.
        Process jdkChild = new ProcessBuilder("sh", "-c", "sleep 0.3; exit 7").start();
        Thread.sleep(600); // a zombie for a few tracker rounds before the JDK's waiter reaps it
        System.out.println("jdkExit=" + jdkChild.waitFor());
        System.out.println("children=" + ProcessHandle.current().children().count());
    }

    /**
     * A supervisor JVM: endAdopted is refused in the default mode; with ALL_ORPHANS, an orphan of a
     * tree procgroup did not start (a ProcessBuilder child's) is reaped, and endAdopted kills a
     * daemon that cleared its environment (so nothing ties it to its tree) and reaps it.
     */
    private static void subreaperAllOrphans() throws Exception {
        Subreaper.enable();
        try {
            Subreaper.endAdopted(Duration.ofSeconds(1));
            System.out.println("refused=false");
        } catch (IllegalStateException expected) {
            System.out.println("refused=true");
        }
        Subreaper.enable(Subreaper.Reaping.ALL_ORPHANS);
        Process jdkChild = new ProcessBuilder("sh", "-c", "(sleep 0.3 & echo $!); exit 0").start();
        long orphan = Long.parseLong(jdkChild.inputReader(StandardCharsets.UTF_8).readLine());
        awaitParent(orphan, ProcessHandle.current().pid());
        long deadline = System.nanoTime() + 10_000_000_000L; // exits after 0.3 s; the tracker reaps every 100 ms
        while (ProcFs.proc(orphan).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("orphanReaped=" + ProcFs.proc(orphan).isEmpty());

        // A daemon of a ProcessBuilder child, with no mark: no procgroup tree can claim it (one of a
        // GroupProcess could be, depending on whether a tracker scan saw it before its parent died).
        Process starter = new ProcessBuilder("sh", "-c", "(env -i setsid sleep 603 & echo $!); exit 0").start();
        long daemon = Long.parseLong(starter.inputReader(StandardCharsets.UTF_8).readLine());
        starter.waitFor();
        awaitParent(daemon, ProcessHandle.current().pid());
        List<ProcessInfo> killed = Subreaper.endAdopted(Duration.ofSeconds(10));
        // By pid: the listing may catch it between its execs (env, setsid, sleep), when /proc shows
        // no command line and it is named by its comm in brackets.
        System.out.println("killed=" + killed.stream().anyMatch(i -> i.pid() == daemon));
        System.out.println("daemonGone=" + ProcFs.proc(daemon).isEmpty());
        System.out.println("children=" + ProcessHandle.current().children().count());
    }

    /** Waits (at most 30 s: a loaded machine is slow to re-parent) until {@code parent} has adopted {@code pid}. */
    private static void awaitParent(long pid, long parent) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L) != parent) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("pid " + pid + " was not adopted by " + parent + " within 30 s");
            }
            Thread.sleep(10);
        }
    }

    private static List<Long> zombieChildren() {
        return ProcFs.childrenOfThisJvm().stream().filter(ProcFs.Proc::zombie).map(ProcFs.Proc::pid).toList();
    }
}
