package io.github.procgroup.internal.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What procgroup's shutdown hook does to the trees whose builder asked for it
 * ({@code killOnJvmExit}, the default): SIGTERM and SIGCONT to every tree at once, then, for each
 * tree, up to its {@code exitHookGrace} for it to end, then SIGKILL to what is left of it. A tree
 * with a zero grace gets SIGKILL at once. The JVM's exit waits at most for the longest grace
 * (the exit watcher still reaps meanwhile: it is a daemon thread, and daemons run until the hooks end).
 */
final class ExitHook {
    private static final long ROUND_MILLIS = 20; // each round lists /proc once

    private ExitHook() {
    }

    /** Loads and initialises this class (see the shutdown hook's registration in {@link LiveTrees}). */
    static void load() {
    }

    /** Ends {@code trees} as described above; never throws (EPERM on one tree must not spare the others). */
    static void endAll(List<LinuxProcess> trees) {
        List<LinuxProcess> graced = new ArrayList<>();
        List<Long> deadlines = new ArrayList<>();
        long now = System.nanoTime();
        for (LinuxProcess tree : trees) {
            if (!tree.killOnJvmExit()) {
                continue;
            }
            if (tree.exitHookGrace().isZero()) {
                kill(tree);
            } else if (requestStop(tree)) { // TERM and CONT: a stopped member sees the TERM only once continued
                graced.add(tree);
                deadlines.add(now + tree.exitHookGrace().toNanos());
            }
        }
        while (!graced.isEmpty()) {
            sleepOneRound();
            ProcTable.Snapshot snapshot;
            try {
                snapshot = ProcTable.snapshot();
            } catch (RuntimeException e) {
                // No listing (no fd left even with the spares): no tree can be seen to be over, so end
                // them all now; kill() reaches each group without an fd.
                report("cannot list /proc to wait for the trees' grace", e);
                graced.forEach(ExitHook::kill);
                return;
            }
            long t = System.nanoTime();
            for (int i = graced.size() - 1; i >= 0; i--) {
                LinuxProcess tree = graced.get(i);
                boolean over = isOver(tree, snapshot);
                if (over || t - deadlines.get(i) >= 0) {
                    if (!over) {
                        kill(tree);
                    }
                    graced.remove(i);
                    deadlines.remove(i);
                }
            }
        }
    }

    /** @return false if nothing of the tree was running (or it could not be signalled: then it is killed) */
    private static boolean requestStop(LinuxProcess tree) {
        try {
            return tree.requestStop() > 0;
        } catch (RuntimeException e) {
            report("cannot ask the tree of pid " + tree.pid() + " to stop; killing it", e);
            kill(tree);
            return false;
        }
    }

    private static void kill(LinuxProcess tree) {
        try {
            tree.kill(); // the group first, with no fd needed: EMFILE cannot spare it
        } catch (RuntimeException e) {
            report("cannot kill the tree of pid " + tree.pid(), e);
        }
    }

    private static boolean isOver(LinuxProcess tree, ProcTable.Snapshot snapshot) {
        try {
            return tree.isOver(snapshot);
        } catch (RuntimeException e) {
            report("cannot tell whether the tree of pid " + tree.pid() + " is over; killing it", e);
            kill(tree);
            return true;
        }
    }

    /** The hook's only way to say what went wrong: the JVM is exiting, stderr is its last word. */
    private static void report(String what, RuntimeException e) {
        System.err.println("procgroup: at JVM exit, " + what + ": " + e.getMessage());
    }

    private static void sleepOneRound() {
        try {
            TimeUnit.MILLISECONDS.sleep(ROUND_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts a shutdown hook; if so, the rounds go on
        }
    }
}
