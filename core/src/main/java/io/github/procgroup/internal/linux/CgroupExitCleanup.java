package io.github.procgroup.internal.linux;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Leaves nothing in the cgroup hierarchy when the JVM exits normally. It is the second half of
 * procgroup's one shutdown hook (see {@link LiveTrees}), run after {@link ExitHook} has ended the
 * trees that die with the JVM (SIGTERM, their {@code exitHookGrace}, then cgroup.kill for a
 * CGROUP tree): for every leaf of such a tree still there, it writes cgroup.kill once more (a
 * no-op if ExitHook's kill worked; it spares no one a grace, which is over by then), waits for
 * the kernel to say it is empty (at most 2 s in all: SIGKILLed processes die in microseconds
 * unless stuck in the kernel; the exit watcher's event wakes it), and removes it. One hook, not
 * two: a second hook running beside ExitHook would SIGKILL the CGROUP trees before their grace.
 * A JVM killed with SIGKILL runs no hook: with killOnParentDeath its sentinel does this instead,
 * and otherwise an empty leaf left behind is removed by the next procgroup JVM that uses the
 * same parent (see CgroupParent).
 */
final class CgroupExitCleanup {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Set<CgroupTree> LIVE = ConcurrentHashMap.newKeySet();

    private CgroupExitCleanup() {
    }

    /**
     * Loads and initialises this class while the hook is registered (see {@link LiveTrees}): at
     * exit, a JVM at its fd limit could not open the class file.
     */
    static void load() {
    }

    static void add(CgroupTree tree) {
        LIVE.add(tree);
    }

    static void remove(CgroupTree tree) {
        LIVE.remove(tree);
    }

    /** After {@link ExitHook#endAll}: removes the leaves of the trees that die with the JVM; never throws. */
    static void afterExitHook() {
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (CgroupTree tree : LIVE) {
            if (tree.killOnJvmExit()) {
                try {
                    tree.leaf().kill();
                } catch (Exception e) {
                    // One refusing cgroup must not spare the others; stderr is the hook's last word.
                    System.err.println("procgroup: at JVM exit, cannot kill " + tree.leaf().dir() + ": " + e.getMessage());
                }
            }
        }
        for (CgroupTree tree : LIVE) {
            if (tree.killOnJvmExit()) {
                awaitEmptyAndRemove(tree, deadline);
            }
        }
    }

    private static void awaitEmptyAndRemove(CgroupTree tree, long deadline) {
        try {
            tree.emptied().orElseThrow().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException stillPopulated) {
            // Try anyway: rmdir refuses a leaf that still has a live member.
        }
        // A zombie leader does not keep the leaf populated: rmdir works even if it is unreaped.
        try {
            tree.leaf().remove();
        } catch (RuntimeException e) {
            System.err.println("procgroup: at JVM exit, cannot remove " + tree.leaf().dir() + ": " + e.getMessage());
        }
    }
}
