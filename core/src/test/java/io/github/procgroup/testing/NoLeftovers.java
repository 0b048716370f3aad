package io.github.procgroup.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * After each test: nothing the test started is left, grandchildren and escapees included. Three
 * views together, from /proc:
 * <ul>
 * <li>the children of this JVM, zombies included (one that cleared its environment too);</li>
 * <li>every running descendant of this JVM by parent links;</li>
 * <li>every running process whose environment carries this test run's mark
 *     ({@link #MARK_VARIABLE}, set by the build for the test JVM and inherited by every process it
 *     starts unless a test replaces the environment): this finds escapees re-parented to init
 *     or a subreaper, which no parent link ties to this JVM any more.</li>
 * </ul>
 * The exit watcher reaps asynchronously and init reaps orphans late, so this waits up to
 * {@link #GRACE} before failing; on failure it kills what it found, so one broken test does not
 * leave processes behind for the next. Processes of other JVMs on the machine (parallel builds,
 * other worktrees) carry another mark, or none, and are never touched; nor are this JVM's
 * ancestors (the build's shell and Maven), which carry the mark too.
 *
 * <p>Escapes still possible: a process that cleared or replaced its environment and whose parent
 * died. Tests that start such a process check for it themselves.
 */
public final class NoLeftovers implements AfterEachCallback {
    /** The environment variable whose value marks the processes of one test run (see the poms). */
    public static final String MARK_VARIABLE = "PROCGROUP_TEST_RUN";
    private static final Duration GRACE = Duration.ofSeconds(5);

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            ProcFs.await(() -> leftovers().isEmpty(), GRACE, () -> "processes left behind: " + describe(leftovers()));
        } catch (AssertionError leftovers) {
            for (ProcFs.Proc p : leftovers().keySet()) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
            throw leftovers;
        }
    }

    /** @return this run's mark, {@code PROCGROUP_TEST_RUN=...}, or empty where the build set none (an IDE run) */
    public static Optional<String> mark() {
        return Optional.ofNullable(System.getenv(MARK_VARIABLE)).filter(v -> !v.isEmpty()).map(v -> MARK_VARIABLE + "=" + v);
    }

    /** @return what the test left, each with the reason it counts as the test's */
    public static Map<ProcFs.Proc, String> leftovers() {
        List<ProcFs.Proc> all = ProcFs.all();
        Map<ProcFs.Proc, String> found = new LinkedHashMap<>();
        for (ProcFs.Proc p : all) {
            if (p.ppid() == ProcFs.self()) {
                found.put(p, "child of the test JVM");
            }
        }
        for (ProcFs.Proc p : descendantsOfThisJvm(all)) {
            if (!p.zombie()) {
                found.putIfAbsent(p, "descendant of the test JVM");
            }
        }
        mark().ifPresent(mark -> {
            Set<Long> ancestors = ancestorsOfThisJvm(all); // the build's own: surefire starts this JVM through a shell
            for (ProcFs.Proc p : all) {
                if (!ancestors.contains(p.pid()) && !p.zombie() && ProcFs.environ(p.pid()).contains(mark)) {
                    found.putIfAbsent(p, "carries " + mark);
                }
            }
        });
        return found;
    }

    /** @return this JVM and its ancestors, which carry the mark too when the build set it */
    private static Set<Long> ancestorsOfThisJvm(List<ProcFs.Proc> all) {
        Map<Long, Long> parents = new java.util.HashMap<>();
        all.forEach(p -> parents.put(p.pid(), p.ppid()));
        Set<Long> ancestors = new HashSet<>();
        for (Long pid = ProcFs.self(); pid != null && pid > 0 && ancestors.add(pid); pid = parents.get(pid)) {
            // up the parent links to init
        }
        return ancestors;
    }

    private static List<ProcFs.Proc> descendantsOfThisJvm(List<ProcFs.Proc> all) {
        Set<Long> tree = new HashSet<>(Set.of(ProcFs.self()));
        List<ProcFs.Proc> result = new ArrayList<>();
        boolean grew = true;
        while (grew) { // parent links, to a fixed point: /proc lists pids in no tree order
            grew = false;
            for (ProcFs.Proc p : all) {
                if (tree.contains(p.ppid()) && tree.add(p.pid())) {
                    result.add(p);
                    grew = true;
                }
            }
        }
        return result;
    }

    private static String describe(Map<ProcFs.Proc, String> leftovers) {
        StringBuilder text = new StringBuilder();
        leftovers.forEach((p, why) -> text.append("\n  ").append(p).append(" (").append(why).append(')'));
        return text.toString();
    }
}
