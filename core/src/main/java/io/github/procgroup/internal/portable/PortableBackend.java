package io.github.procgroup.internal.portable;

import io.github.procgroup.Containment;
import io.github.procgroup.internal.Backend;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.GroupPlacement;
import io.github.procgroup.internal.SpawnRequest;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend for platforms procgroup has no native bindings for (macOS, the BSDs, other
 * architectures), and on Linux when forced with {@code -Dprocgroup.backend=portable}: children
 * are started by {@link ProcessBuilder} and their trees are found and ended through
 * {@link ProcessHandle} (see {@link PortableProcess}). Everything is plain JDK API, so it works
 * wherever the JDK runs; what it cannot promise is written in {@code docs/platforms.md} and
 * reported as {@link io.github.procgroup.Containment#DESCENDANTS}.
 *
 * <p>Options that need the OS's process model are refused at {@code start()}, naming the option:
 * a new session, joining another group (pipelines in one group), killing on parent death. Without
 * them it never fails for want of a native backend. Windows options are ignored, as by the native
 * Linux backend.
 */
public final class PortableBackend implements Backend {
    /** Trees whose builder asked to be killed at JVM exit, until they are over. */
    private static final Set<PortableProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final int FIRST_PRUNE_AT = 256;
    private static volatile int pruneAt = FIRST_PRUNE_AT;

    static {
        // As the Linux backend: on a normal JVM exit KILL what is left of those trees. Not waited for.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("procgroup-portable-shutdown").unstarted(() -> {
            for (PortableProcess tree : LIVE) {
                try {
                    tree.signalTree(io.github.procgroup.Signal.KILL);
                } catch (RuntimeException ignored) {
                    // One tree's failure must not spare the others.
                }
            }
        }));
    }

    /** Creates the backend; it holds no state of its own. */
    public PortableBackend() {
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws IOException {
        refuse(request.placement() instanceof GroupPlacement.NewSession,
                "newSession (a new session needs setsid, which ProcessBuilder cannot do)");
        refuse(request.placement() instanceof GroupPlacement.JoinGroup,
                "joining another process group (ProcessBuilder cannot set a process group)");
        refuse(request.killOnParentDeath(), "killOnParentDeath (needs the Linux backend's lifeline helper)");
        // CGROUP and limits need a native backend: refused by name, as the native backends refuse a knob
        // they do not honour. AUTO means "a cgroup where the host allows": here it does not, so the child
        // runs as ProcessBuilder's and containment() reports DESCENDANTS. Best-effort limits are skipped.
        refuse(request.containment().containment() == Containment.CGROUP,
                "Containment.CGROUP (a cgroup needs the Linux backend; AUTO falls back instead)");
        refuse(request.containment().limits().any() && !request.containment().limits().bestEffort(),
                "Limits " + request.containment().limits() + " (limits need a cgroup or a Job Object;"
                        + " Limits.withBestEffort(true) skips them)");
        ProcessBuilder builder = new ProcessBuilder(request.command())
                .directory(request.directory())
                .redirectInput(request.stdin())
                .redirectOutput(request.stdout())
                .redirectErrorStream(request.redirectErrorStream());
        if (!request.redirectErrorStream()) {
            builder.redirectError(request.stderr());
        }
        if (request.environment() != null) {
            Map<String, String> environment = builder.environment();
            environment.clear();
            environment.putAll(request.environment());
        }
        PortableProcess child = new PortableProcess(builder.start(), request.killOnJvmExit());
        if (child.killOnJvmExit()) {
            LIVE.add(child);
            if (LIVE.size() >= pruneAt) {
                // Amortised, as the Linux backend's LiveTrees: one listing of each tree per doubling.
                LIVE.removeIf(tree -> !tree.treeRuns());
                pruneAt = Math.max(FIRST_PRUNE_AT, 2 * LIVE.size());
            }
        }
        return child;
    }

    private static void refuse(boolean asked, String option) {
        if (asked) {
            throw new UnsupportedOperationException(option + " is not supported by procgroup's portable backend on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + " (see docs/platforms.md)");
        }
    }
}
