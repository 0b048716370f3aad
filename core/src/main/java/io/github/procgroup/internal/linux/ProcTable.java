package io.github.procgroup.internal.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads process state from /proc. A process can vanish between listing and reading: that is not an error. */
final class ProcTable {
    private static final Path PROC = Path.of("/proc");

    private ProcTable() {
    }

    /**
     * One line of /proc/PID/stat.
     *
     * @param pid   the process id
     * @param comm  the command name (at most 15 bytes, as the kernel keeps it)
     * @param state R, S, D, Z, T, ...
     * @param ppid  the parent's pid
     * @param pgid  the process group id
     * @param sid   the session id
     */
    record Stat(long pid, String comm, char state, long ppid, long pgid, long sid) {
        boolean isZombie() {
            return state == 'Z' || state == 'X';
        }
    }

    /** @return the process's stat, or empty if it is gone */
    static Optional<Stat> stat(long pid) {
        try {
            return Optional.of(parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // ESRCH while reading: it exited meanwhile
        }
    }

    /** @return every process visible in /proc now */
    static List<Stat> all() {
        List<Stat> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    stat(Long.parseLong(name)).ifPresent(result::add);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return result;
    }

    /** @return whether any process in group {@code pgid} is still running (zombies are dead) */
    static boolean hasLiveMember(long pgid) {
        for (Stat s : all()) {
            if (s.pgid() == pgid && !s.isZombie()) {
                return true;
            }
        }
        return false;
    }

    static Stat parse(long pid, String line) {
        // comm may contain spaces and parentheses: it ends at the last ')'.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String comm = line.substring(open + 1, close);
        String[] f = line.substring(close + 2).split(" ");
        return new Stat(pid, comm, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
    }
}
