package io.github.procgroup.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the kernel says about processes, read straight from /proc: the tests' independent
 * view, so that no assertion trusts the library under test.
 *
 * <p>On the machines this project runs on, PID 1 reaps orphans about two seconds late, so an
 * orphaned member killed with its group stays a zombie (still in the group) for a while:
 * {@link #awaitGroupGone} waits for that, bounded.
 */
public final class ProcFs {
    private static final long SELF = ProcessHandle.current().pid();
    /** How often the waits look again: /proc is cheap to read, a loaded machine slow to act. */
    private static final long POLL_MILLIS = 10;

    private ProcFs() {
    }

    /** One process as /proc/PID/stat shows it. */
    public record Proc(long pid, String comm, char state, long ppid, long pgid, long sid) {
        /** @return whether it has exited and waits to be reaped */
        public boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    /** @return the process, or empty if /proc no longer has it */
    public static Optional<Proc> proc(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = line.lastIndexOf(')');
            String[] f = line.substring(close + 2).split(" ");
            return Optional.of(new Proc(pid, line.substring(line.indexOf('(') + 1, close), f[0].charAt(0),
                    Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** @return every process now */
    public static List<Proc> all() {
        List<Proc> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                proc(Long.parseLong(entry.getFileName().toString())).ifPresent(result::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** @return every process in the group, zombies included */
    public static List<Proc> group(long pgid) {
        return all().stream().filter(p -> p.pgid() == pgid).toList();
    }

    /** @return the group's members that are still running (not zombies) */
    public static List<Proc> liveMembers(long pgid) {
        return group(pgid).stream().filter(p -> !p.zombie()).toList();
    }

    /**
     * @return the process's initial environment, {@code NAME=value} entries; empty if it is gone,
     *         a zombie, or not ours to read
     */
    public static List<String> environ(long pid) {
        try {
            String block = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            return block.isEmpty() ? List.of() : List.of(block.split("\0"));
        } catch (IOException | SecurityException unreadable) {
            return List.of();
        }
    }

    /** @return the processes whose parent is this JVM, zombies included */
    public static List<Proc> childrenOfThisJvm() {
        return all().stream().filter(p -> p.ppid() == SELF).toList();
    }

    /** @return whether the process exists and has not exited (a zombie has) */
    public static boolean running(long pid) {
        return proc(pid).map(p -> !p.zombie()).orElse(false);
    }

    /** @return this JVM's pid */
    public static long self() {
        return SELF;
    }

    /** @return how many fds this JVM has open */
    public static int openFdCount() {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return (int) entries.count() - 1; // minus the one this listing holds
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return this JVM's open fd numbers */
    public static List<Integer> openFds() {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.map(p -> Integer.parseInt(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the fd numbers process {@code pid} has open (this JVM's own: use {@link #openFds()}) */
    public static List<Integer> fdsOf(long pid) {
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return entries.map(p -> Integer.parseInt(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return this JVM's fds that refer to {@code target} (a path, or {@code pipe:[123]}), in
     *         order; an fd closed between the listing and the look does not count
     */
    public static List<Integer> fdsOn(String target) {
        return openFds().stream().filter(fd -> {
            try {
                return target.equals(fdTarget(SELF, fd));
            } catch (UncheckedIOException closedMeanwhile) {
                return false; // another thread closed it between the listing and the look
            }
        }).toList();
    }

    /** @return what fd {@code fd} of process {@code pid} refers to, for example {@code pipe:[123]} or a path */
    public static String fdTarget(long pid, int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd))).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a field of /proc/PID/status, for example {@code SigIgn}, or empty if the process is gone */
    public static Optional<String> statusField(long pid, String field) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith(field + ":"))
                    .map(l -> l.substring(field.length() + 1).trim())
                    .findFirst();
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** Waits until the group has at least {@code count} live members; fails after {@code timeout}. */
    public static List<Proc> awaitLiveMembers(long pgid, int count, Duration timeout) {
        await(() -> liveMembers(pgid).size() >= count, timeout,
                () -> "group " + pgid + " never reached " + count + " live members: " + group(pgid));
        return liveMembers(pgid);
    }

    /**
     * Waits until no process at all is left in the group, zombies included (init may reap
     * orphans late); fails naming the leftovers after {@code timeout}.
     */
    public static void awaitGroupGone(long pgid, Duration timeout) {
        await(() -> group(pgid).isEmpty(), timeout, () -> "group " + pgid + " still has " + group(pgid));
    }

    /**
     * A negative check: {@code condition} holds all through {@code window}, checked every 10 ms,
     * failing with {@code message} the moment it does not (never a single sample after a sleep).
     */
    public static void assertHolds(BooleanSupplier condition, Duration window, java.util.function.Supplier<String> message) {
        long end = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError(message.get());
            }
            pause();
        } while (System.nanoTime() - end < 0);
        if (!condition.getAsBoolean()) {
            throw new AssertionError(message.get());
        }
    }

    /** Polls {@code condition} every 10 ms; throws AssertionError with {@code message} on timeout. */
    public static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(message.get());
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
