package io.github.procgroup.internal.linux;

import io.github.procgroup.Signal;

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
                signal(tree, Signal.KILL);
            } else if (signal(tree, Signal.TERM)) {
                signal(tree, Signal.CONT); // a stopped member sees the TERM only once continued
                graced.add(tree);
                deadlines.add(now + tree.exitHookGrace().toNanos());
            }
        }
        while (!graced.isEmpty()) {
            sleepOneRound();
            List<ProcTable.Stat> snapshot = ProcTable.all();
            long t = System.nanoTime();
            for (int i = graced.size() - 1; i >= 0; i--) {
                LinuxProcess tree = graced.get(i);
                boolean over = isOver(tree, snapshot);
                if (over || t - deadlines.get(i) >= 0) {
                    if (!over) {
                        signal(tree, Signal.KILL);
                    }
                    graced.remove(i);
                    deadlines.remove(i);
                }
            }
        }
    }

    /** @return false if nothing of the tree was running (or it could not be signalled) */
    private static boolean signal(LinuxProcess tree, Signal signal) {
        try {
            return tree.signalTree(signal) > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isOver(LinuxProcess tree, List<ProcTable.Stat> snapshot) {
        try {
            return tree.isOver(snapshot);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static void sleepOneRound() {
        try {
            TimeUnit.MILLISECONDS.sleep(ROUND_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts a shutdown hook; if so, the rounds go on
        }
    }
}
