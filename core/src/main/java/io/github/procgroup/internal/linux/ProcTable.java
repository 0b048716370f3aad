package io.github.procgroup.internal.linux;

import io.github.procgroup.ProcessInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads process state from /proc. A process can vanish between listing and reading: that is not an error. */
public final class ProcTable {
    private static final Path PROC = Path.of("/proc");

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
                byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
                String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
                return line.isEmpty() ? "[" + comm + "]" : line;
            } catch (IOException gone) {
                return "[" + comm + "]";
            }
        }
    }

    /** A process for ever: its pid and its start time (a reused pid has a later start time). */
    record ProcessKey(long pid, long startTime) {
    }

    /** @return the process's stat, or empty if it is gone */
    public static Optional<Stat> stat(long pid) {
        try {
            return Optional.of(parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (IOException gone) {
            return Optional.empty(); // no such file, or ESRCH while reading: it exited meanwhile
        }
    }

    /** @return every process visible in /proc now */
    public static List<Stat> all() {
        List<Stat> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                stat(Long.parseLong(entry.getFileName().toString())).ifPresent(result::add);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return result;
    }

    static Stat parse(long pid, String line) {
        // comm may contain spaces and parentheses: it ends at the last ')'. Fields from there on
        // are numbered as in proc(5) minus 3: state is field 3, starttime field 22.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String comm = line.substring(open + 1, close);
        String[] f = line.substring(close + 2).split(" ");
        return new Stat(pid, comm, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[19]));
    }
}
