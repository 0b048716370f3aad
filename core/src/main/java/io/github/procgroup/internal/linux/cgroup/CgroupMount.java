package io.github.procgroup.internal.linux.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where this JVM's cgroup v2 is: the cgroup2 mount from /proc/self/mountinfo (at /sys/fs/cgroup
 * on a unified host, /sys/fs/cgroup/unified on a hybrid one, anywhere in principle), joined with
 * the path of the {@code 0::} line of /proc/self/cgroup.
 */
public final class CgroupMount {
    private static final String CGROUP2 = "cgroup2";

    private CgroupMount() {
    }

    /**
     * @return the directory of the cgroup v2 this JVM runs in, or empty with no cgroup v2
     *         (a cgroup v1-only host, or /proc not mounted)
     */
    public static Optional<Path> jvmCgroup() {
        try {
            return ownCgroup(Files.readAllLines(Path.of("/proc/self/mountinfo")),
                    Files.readAllLines(Path.of("/proc/self/cgroup")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param mountinfo  the lines of /proc/self/mountinfo
     * @param procCgroup the lines of /proc/self/cgroup
     * @return the directory of the JVM's cgroup v2, or empty
     */
    static Optional<Path> ownCgroup(List<String> mountinfo, List<String> procCgroup) {
        String own = null;
        for (String line : procCgroup) {
            if (line.startsWith("0::")) {
                own = line.substring(3);
            }
        }
        if (own == null || !own.startsWith("/")) {
            return Optional.empty(); // no v2 line, or "0::/ (deleted)"-style oddities we cannot place
        }
        for (String line : mountinfo) {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (dash < 0 || dash + 1 >= fields.length || !fields[dash + 1].equals(CGROUP2) || fields.length < 5) {
                continue;
            }
            String root = unescape(fields[3]);
            Path mountPoint = Path.of(unescape(fields[4]));
            // The 0:: path is relative to the cgroup namespace's root; a mount whose root is a
            // sub-cgroup (a bind mount of part of the tree) covers only paths below that root.
            if (root.equals("/")) {
                return Optional.of(mountPoint.resolve(own.substring(1)));
            }
            if (own.equals(root) || own.startsWith(root + "/")) {
                return Optional.of(mountPoint.resolve(own.substring(root.length()).replaceFirst("^/", "")));
            }
        }
        return Optional.empty();
    }

    /** mountinfo escapes space, tab, newline and backslash as octal {@code \ooo}. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 4 <= field.length()) {
                try {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException notOctal) {
                    // a lone backslash: keep it
                }
            }
            out.append(c);
        }
        return out.toString();
    }
}
