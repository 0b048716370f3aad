package io.github.procgroup.benchmarks;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;

import java.io.IOException;
import java.util.List;

/**
 * Starting and finishing children the same way for both libraries, so each benchmark differs
 * only in the library it measures.
 */
final class Children {
    /** What every forked benchmark JVM needs: procgroup calls native code through FFM. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    static final List<String> TRUE = List.of("/bin/true");
    static final List<String> SLEEP = List.of("sleep", "1000");

    private Children() {
    }

    /** Spawns /bin/true with procgroup and waits for it; stdio are pipes, as ProcessBuilder's default. */
    static int trueWithProcgroup() throws IOException, InterruptedException {
        GroupProcess p = new GroupProcessBuilder(TRUE).start();
        int code = p.waitFor();
        closeStreams(p);
        return code;
    }

    /** Spawns /bin/true with ProcessBuilder and waits for it; stdio are pipes (the default). */
    static int trueWithProcessBuilder() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(TRUE).start();
        int code = p.waitFor();
        closeStreams(p);
        return code;
    }

    /**
     * Kills and reaps a child unless it has already been reaped, then closes its pipes. For a
     * {@link GroupProcess}, {@code destroyForcibly()} is SIGKILL to the group and {@code waitFor()}
     * waits for procgroup's reap. A reaped child is never signalled: once a group's last member is
     * gone, its number may belong to someone else's group.
     */
    static void finish(Process p) throws InterruptedException {
        if (p instanceof GroupProcess tree) {
            tree.close(); // the whole tree, and a CGROUP child's leaf cgroup; nothing if it is over
        }
        if (p.isAlive()) {
            p.destroyForcibly();
            p.waitFor();
        }
        closeStreams(p);
    }

    /** Closes our ends of the child's pipes (fds would otherwise wait for the GC). */
    static void closeStreams(Process p) {
        quietly(p.getOutputStream());
        quietly(p.getInputStream());
        quietly(p.getErrorStream());
    }

    private static void quietly(AutoCloseable stream) {
        try {
            stream.close();
        } catch (Exception ignored) {
            // Our end of a pipe to a dead child: nothing to report.
        }
    }
}
