package io.github.procgroup.internal.linux;

import io.github.procgroup.ProcessInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads process state from /proc. A process can vanish between listing and reading: that is
 * "gone", not an error. Anything else (EMFILE, ENFILE, EACCES...) is an error and is thrown:
 * taking an fd limit for "gone" would make a running tree look ended. At the fd limit a listing
 * is retried once with {@link FdReserve}'s spare fds released.
 */
public final class ProcTable {
    private static final Path PROC = Path.of("/proc");

    /** What lists /proc: the real one, replaced only by tests that make listing fail. */
    interface Lister {
        List<Stat> list() throws IOException;
    }

    private static volatile Lister lister; // null: the real listing (no method reference, see package-info)

    private ProcTable() {
    }

    /**
     * One line of /proc/PID/stat.
     *
     * @param pid       the process id
     * @param comm      the command name (at most 15 bytes, as the kernel keeps it)
     * @param state     R, S, D, Z, T, ...
     * @param ppid      the parent's pid
     * @param pgid      the process group id
     * @param sid       the session id
     * @param startTime when it started, in clock ticks after boot: with the pid, it names one process
     *                  for ever, even after the pid is reused
     */
    public record Stat(long pid, String comm, char state, long ppid, long pgid, long sid, long startTime) {
        /** @return whether it has exited (a zombie waiting for its parent, or being torn down) */
        public boolean isZombie() {
            return state == 'Z' || state == 'X';
        }

        /** @return the pid and start time, which name this process and no later one */
        ProcessKey key() {
            return new ProcessKey(pid, startTime);
        }

        /** @return the public view, with the command line read now */
        public ProcessInfo info() {
            return new ProcessInfo(pid, ppid, pgid, sid, state, commandLine());
        }

        private String commandLine() {
            try {
                byte[] raw = ProcFile.read("/proc/" + pid + "/cmdline");
                if (raw == null) {
                    return "[" + comm + "]";
                }
                String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
                return line.isEmpty() ? "[" + comm + "]" : line;
            } catch (IOException gone) {
                return "[" + comm + "]";
            }
        }
    }

    /**
     * A process for ever: its pid and its start time (a reused pid has a later start time).
     *
     * <p>Its {@code equals} and {@code hashCode} are written out: a record's own are bound by
     * invokedynamic at their first call, which spins method handles for a few milliseconds of the
     * first listing in a fresh JVM (keys are hashed from the first one on, see {@link TreeMemory}).
     */
    record ProcessKey(long pid, long startTime) {
        @Override
        public boolean equals(Object other) {
            return other instanceof ProcessKey k && k.pid == pid && k.startTime == startTime;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(pid) * 31 + Long.hashCode(startTime);
        }
    }

    /**
     * A listing of /proc.
     *
     * @param takenAt   {@link System#nanoTime()} just before the listing began: a process absent from
     *                  it did not exist at some moment after this
     * @param processes every process found
     * @param lookedFor the pids a partial listing looked for by name, or null for a listing of all of /proc
     * @param pidCursor for a tree's own listing that saw none of its processes die while it ran
     *                  ({@link TreeWalk}): the pid namespace's cursor ({@link PidCursor}), read
     *                  after {@code takenAt} and before the first read of the listing, so that a
     *                  later equal reading proves no process was created since the listing began;
     *                  else {@link PidCursor#UNKNOWN}
     */
    record Snapshot(long takenAt, List<Stat> processes, Set<Long> lookedFor, long pidCursor) {
        /** A listing of the whole of /proc: a process absent from it was absent at some moment after {@code takenAt}. */
        Snapshot(long takenAt, List<Stat> processes) {
            this(takenAt, processes, null, PidCursor.UNKNOWN);
        }

        /**
         * @return whether absence from this listing proves {@code pid} was gone at some moment
         *         after {@link #takenAt}: always for a whole listing; for a tree's own listing
         *         ({@link TreeWalk}) only for the pids it looked for by name
         */
        boolean provesAbsence(long pid) {
            return lookedFor == null || lookedFor.contains(pid);
        }
    }

    /**
     * @return the process's stat, or empty if it is gone
     * @throws UncheckedIOException if /proc cannot be read for another reason (EMFILE, say)
     */
    public static Optional<Stat> stat(long pid) {
        try {
            return Optional.ofNullable(readStat(pid));
        } catch (IOException e) {
            if (!FdReserve.isFdLimit(e)) {
                throw new UncheckedIOException("cannot read /proc/" + pid + "/stat", e);
            }
            return Optional.ofNullable(FdReserve.withSpareFds(() -> {
                try {
                    return readStat(pid);
                } catch (IOException again) {
                    throw new UncheckedIOException("cannot read /proc/" + pid + "/stat", again);
                }
            }));
        }
    }

    /** @return the stat, or null if the process is gone (no such file, or ESRCH while reading) */
    private static Stat readStat(long pid) throws IOException {
        String line = readStatLine(pid);
        return line == null ? null : parse(pid, line);
    }

    /** @return the /proc/PID/stat line, or null if the process is gone (no such file, or ESRCH while reading) */
    static String readStatLine(long pid) throws IOException {
        return ProcFile.readString("/proc/" + pid + "/stat");
    }

    /** @return whether {@code e} is ESRCH: the process exited while its /proc entry was being read */
    static boolean isGone(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("No such process");
    }

    /** @return the number of threads in a /proc/PID/stat line (field 20, num_threads) */
    static int threadCount(String line) {
        return (int) number(line, skip(line, line.lastIndexOf(')') + 2, 20 - 3));
    }

    /**
     * @return every process visible in /proc now
     * @throws IllegalStateException naming the cause if /proc cannot be listed
     */
    public static List<Stat> all() {
        return snapshot().processes();
    }

    /** @return a listing of /proc with the time it began; see {@link #all()} */
    static Snapshot snapshot() {
        long takenAt = System.nanoTime();
        try {
            return new Snapshot(takenAt, list());
        } catch (IOException | UncheckedIOException e) {
            if (!FdReserve.isFdLimit(e)) {
                throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
            }
            return FdReserve.withSpareFds(() -> {
                try {
                    return new Snapshot(takenAt, list());
                } catch (IOException | UncheckedIOException again) {
                    throw new IllegalStateException("cannot list /proc, even with procgroup's spare fds released: "
                            + again.getMessage(), again);
                }
            });
        }
    }

    private static List<Stat> list() throws IOException {
        Lister replaced = lister;
        return replaced == null ? listOnce() : replaced.list();
    }

    private static List<Stat> listOnce() throws IOException {
        List<Stat> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                Stat s = readStat(Long.parseLong(entry.getFileName().toString()));
                if (s != null) {
                    result.add(s);
                }
            }
        }
        return result;
    }

    /** Test seam: replaces the lister (null restores the real one). */
    static void replaceLister(Lister replacement) {
        lister = replacement;
    }

    /**
     * Parses one /proc/PID/stat line, reading only the fields it keeps: a listing parses one line
     * a process, mostly before the JIT has compiled this, so no split and no array of fields, and
     * one pass from the end of comm to starttime.
     */
    static Stat parse(long pid, String line) {
        // comm (field 2) may hold spaces and parentheses: it ends at the last ')', and the fields
        // are counted from there, numbered as in proc(5).
        int close = line.lastIndexOf(')');
        int state = close + 2; // field 3
        int ppid = skip(line, state, 1);
        int pgid = skip(line, ppid, 1);
        int sid = skip(line, pgid, 1); // field 6
        int startTime = skip(line, sid, 22 - 6);
        return new Stat(pid, line.substring(line.indexOf('(') + 1, close), line.charAt(state),
                number(line, ppid), number(line, pgid), number(line, sid), number(line, startTime));
    }

    /** @return where the field {@code count} fields after the one that begins at {@code at} begins */
    private static int skip(String line, int at, int count) {
        for (int i = 0; i < count; i++) {
            at = line.indexOf(' ', at) + 1;
        }
        return at;
    }

    /** @return the decimal number that begins at {@code at} and ends at the next space or the line's end */
    private static long number(String line, int at) {
        int end = line.indexOf(' ', at);
        return Long.parseLong(line, at, end < 0 ? line.length() : end, 10);
    }
}
