package io.github.procgroup.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few /proc facts the benchmarks need, read independently of procgroup so that a bug in
 * procgroup cannot hide itself from the survivor counts.
 */
final class ProcStat {
    private ProcStat() {
    }

    /**
     * One process, identified by pid and start time (field 22 of /proc/PID/stat), so a reused
     * pid is never mistaken for the process we started.
     *
     * @param pid       the pid
     * @param startTime clock ticks after boot at which it started
     */
    record Identity(long pid, long startTime) {
        /** @return whether this very process still runs (a zombie is dead; a reused pid is another process) */
        boolean isRunning() {
            String[] f = fields(pid);
            return f != null && Long.parseLong(f[19]) == startTime && f[0].charAt(0) != 'Z' && f[0].charAt(0) != 'X';
        }
    }

    /** @return the process's identity once it runs {@code comm} (it has exec'd), or null if it is gone */
    static Identity whenRunning(long pid, String comm, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() - deadline < 0) {
            String stat = read(pid);
            if (stat == null) {
                return null;
            }
            if (comm(stat).equals(comm)) {
                return new Identity(pid, Long.parseLong(afterComm(stat)[19]));
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("pid " + pid + " did not exec " + comm + " in time");
    }

    /**
     * Waits, polling /proc without sleeping (an idle CPU is slow to wake on some hosts, which the
     * next timed operation would pay), until the process runs {@code comm} and sleeps in the
     * kernel (state S): it has exec'd and finished starting up, and takes no CPU.
     *
     * @throws IllegalStateException if it is gone, or not asleep within the timeout
     */
    static void whenAsleep(long pid, String comm, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() - deadline < 0) {
            String stat = read(pid);
            if (stat == null) {
                throw new IllegalStateException("pid " + pid + " is gone");
            }
            if (comm(stat).equals(comm) && afterComm(stat)[0].equals("S")) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("pid " + pid + " did not settle in " + comm + " in time");
    }

    /** @return the number of threads of this JVM, as the kernel counts them */
    static int ownThreads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no Threads: line in /proc/self/status");
    }

    /** @return the fields after "(comm)" in /proc/PID/stat (state first), or null if the process is gone */
    private static String[] fields(long pid) {
        String stat = read(pid);
        return stat == null ? null : afterComm(stat);
    }

    /** @return the command name, between the first '(' and the last ')' of /proc/PID/stat */
    private static String comm(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    private static String[] afterComm(String stat) {
        // comm may hold spaces and parentheses: it ends at the last ')'.
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static String read(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return null; // NoSuchFileException, or ESRCH while reading: it exited meanwhile
        }
    }
}
