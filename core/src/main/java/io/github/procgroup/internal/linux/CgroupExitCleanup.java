package io.github.procgroup.internal.linux;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Leaves nothing in the cgroup hierarchy when the JVM exits normally: a shutdown hook kills
 * every leaf whose tree is to die with the JVM (cgroup.kill), waits for the kernel to say it is
 * empty (at most 2 s in all: SIGKILLed processes die in microseconds unless stuck in the
 * kernel; the exit watcher's event wakes the hook), and removes it. It runs beside LiveTrees' hook, which kills the same trees by group
 * too; killing twice is harmless. A JVM killed with SIGKILL runs no hook: with
 * killOnParentDeath its sentinel does this instead, and otherwise an empty leaf left behind is
 * removed by the next procgroup JVM that uses the same parent (see CgroupParent).
 */
final class CgroupExitCleanup {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Set<CgroupTree> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(
                Thread.ofPlatform().name("procgroup-cgroup-shutdown").unstarted(CgroupExitCleanup::cleanUp));
    }

    private CgroupExitCleanup() {
    }

    static void add(CgroupTree tree) {
        LIVE.add(tree);
    }

    static void remove(CgroupTree tree) {
        LIVE.remove(tree);
    }

    private static void cleanUp() {
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (CgroupTree tree : LIVE) {
            if (tree.killOnJvmExit()) {
                try {
                    tree.leaf().kill();
                } catch (Exception e) {
                    // One refusing cgroup must not spare the others.
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
        tree.leaf().remove();
    }
}
