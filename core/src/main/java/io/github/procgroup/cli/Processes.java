package io.github.procgroup.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The processes procgroup has to end, read from /proc: the members of the command's group and,
 * under {@code --subreaper}, every descendant of this JVM. A process can exit between the listing
 * and the read: it is then simply not listed.
 */
final class Processes {
    static final long SELF = ProcessHandle.current().pid();
    private static final Path PROC = Path.of("/proc");

    private Processes() {
    }

    /**
     * One process as /proc/PID/stat shows it.
     *
     * @param pid   its id
     * @param ppid  its parent's id
     * @param pgid  its process group
     * @param state R, S, D, T, Z...
     * @param comm  the kernel's short command name
     */
    record Info(long pid, long ppid, long pgid, char state, String comm) {
        /** @return whether it is still running: a zombie has exited and only waits to be reaped */
        boolean live() {
            return state != 'Z' && state != 'X';
        }

        /** @return the full command line, or the short name in brackets if it has none or is gone */
        String commandLine() {
            try {
                byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
                String line = new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
                return line.isEmpty() ? "[" + comm + "]" : line;
            } catch (IOException gone) {
                return "[" + comm + "]";
            }
        }
    }

    /** @return the process, or empty if it is gone */
    static Optional<Info> info(long pid) {
        try {
            String line = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // comm may contain spaces and parentheses: it ends at the last ')'.
            int close = line.lastIndexOf(')');
            String[] f = line.substring(close + 2).split(" ");
            return Optional.of(new Info(pid, Long.parseLong(f[1]), Long.parseLong(f[2]), f[0].charAt(0),
                    line.substring(line.indexOf('(') + 1, close)));
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    /** @return every process visible now */
    static List<Info> all() {
        List<Info> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                info(Long.parseLong(entry.getFileName().toString())).ifPresent(result::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        return result;
    }

    /**
     * @param pgid      the command's process group
     * @param adoptions whether to add every descendant of this JVM (they are ours to end under --subreaper)
     * @return the live processes to end, in pid order
     */
    static List<Info> toEnd(long pgid, boolean adoptions) {
        List<Info> all = all();
        Set<Long> ours = adoptions ? descendants(all) : Set.of();
        return all.stream()
                .filter(p -> p.live() && (p.pgid() == pgid || ours.contains(p.pid())))
                .sorted(Comparator.comparingLong(Info::pid))
                .toList();
    }

    /** @return the live descendants of this JVM */
    static List<Info> liveDescendants() {
        List<Info> all = all();
        Set<Long> ours = descendants(all);
        return all.stream().filter(p -> p.live() && ours.contains(p.pid())).toList();
    }

    /** @return the pids of this JVM's descendants, following parent links */
    private static Set<Long> descendants(List<Info> all) {
        Set<Long> ours = new HashSet<>();
        ours.add(SELF);
        boolean grew = true;
        while (grew) { // until no new descendant turns up
            grew = false;
            for (Info p : all) {
                if (ours.contains(p.ppid()) && ours.add(p.pid())) {
                    grew = true;
                }
            }
        }
        ours.remove(SELF);
        return ours;
    }

    /** @return this JVM's children that have exited and wait to be reaped */
    static List<Info> zombieChildren() {
        return all().stream().filter(p -> p.ppid() == SELF && !p.live()).toList();
    }

    /** @return whether this JVM has any child left, running or zombie */
    static boolean hasChildren() {
        return all().stream().anyMatch(p -> p.ppid() == SELF);
    }
}
