package io.github.procgroup;

import io.github.procgroup.internal.NativeAccess;
import io.github.procgroup.internal.linux.Prctl;
import io.github.procgroup.internal.platform.Platforms;
import io.github.procgroup.internal.linux.SupervisorReaping;

import java.time.Duration;
import java.util.List;

/**
 * Makes this JVM a child subreaper ({@code prctl(PR_SET_CHILD_SUBREAPER)}, Linux 3.4+): a
 * descendant whose parent dies is re-parented to this JVM instead of to init. Descendants that
 * escaped their group ({@code setsid}, a double fork) can then still be found by
 * {@link GroupProcess#tree()}, and are killed and reaped by {@link GroupProcess#close()}
 * and {@link GroupProcess#terminate(java.time.Duration)}.
 *
 * <p>Enabling starts one daemon thread, {@code procgroup-subreaper}, that scans /proc every
 * 100 ms: it remembers which processes descend from which group (so an escapee is still
 * attributed to its group after its parent died) and reaps the zombies of adopted orphans it can
 * attribute to a procgroup group. It reaps each such pid alone, never with {@code waitpid(-1)}.
 *
 * <p>It also reaps the zombies of adopted orphans it cannot attribute (they exited before a scan
 * saw them alive), once they have stayed zombies for a whole scan period: the JDK waits for each
 * child it starts from the start, so a zombie of the JDK's own never lingers that long, and one
 * that does is waited for by nobody. See docs/internals.md, "Adopted zombies".
 *
 * <p>The trade-off: the setting is process-wide and lasts as long as the JVM. Orphans of trees
 * that procgroup did not start (for example the grandchildren of a {@code ProcessBuilder}
 * child) re-parent to the JVM too; procgroup reaps their zombies as above, but cannot end them
 * while they run. So enable it in programs whose children are all started by procgroup, or whose
 * other children leave no orphans. A program that is a pure supervisor (every child it has is
 * started by procgroup, as in the {@code procgroup} command or an init-like wrapper) enables
 * {@link Reaping#ALL_ORPHANS} instead: then every orphan it adopts is reaped at once, whatever its
 * origin, and {@link #endAdopted(Duration)} ends what is left before it exits.
 */
public final class Subreaper {
    /** Which of the zombies this JVM adopts the orphan tracker reaps. */
    public enum Reaping {
        /** Only orphans of trees procgroup started (the JDK's own children are never touched). */
        PROCGROUP_TREES,
        /**
         * Every zombie child of this JVM that procgroup did not spawn itself (the leaders, whose
         * status procgroup's exit watcher needs, are left to it). For a pure supervisor only: a child
         * started with {@link ProcessBuilder} or {@link Runtime#exec} could be reaped before the JDK
         * gets its exit status.
         */
        ALL_ORPHANS
    }

    private Subreaper() {
    }

    /**
     * Turns this JVM into a child subreaper and starts the orphan tracker; a second call does nothing.
     *
     * @throws ErrnoException if the kernel refuses ({@code EINVAL}: a kernel before 3.4)
     * @throws UnsupportedOperationException if this JVM does not run on a supported Linux
     */
    public static synchronized void enable() throws ErrnoException {
        enable(Reaping.PROCGROUP_TREES);
    }

    /**
     * Turns this JVM into a child subreaper and starts the orphan tracker, which reaps the adopted
     * zombies that {@code reaping} names. The tracker is the only reaper of adopted orphans in the
     * JVM. A later call can widen {@link Reaping#PROCGROUP_TREES} to {@link Reaping#ALL_ORPHANS},
     * never narrow it.
     *
     * @param reaping which adopted zombies to reap
     * @throws ErrnoException if the kernel refuses ({@code EINVAL}: a kernel before 3.4)
     * @throws UnsupportedOperationException if this JVM does not run on a supported Linux
     */
    public static synchronized void enable(Reaping reaping) throws ErrnoException {
        Platforms.requireLinux("Subreaper.enable");
        NativeAccess.require();
        if (reaping == Reaping.ALL_ORPHANS) {
            SupervisorReaping.enable(); // before the tracker starts, so that its first round reaps in this mode
        }
        Prctl.becomeSubreaper();
    }

    /**
     * For a supervisor about to exit, after it has ended its trees: SIGKILLs every process this JVM
     * adopted that still runs (an escapee that could not be traced to a tree, one forked at the last
     * moment) and reaps every adopted zombie, until this JVM has no child left but the leaders
     * procgroup still tracks. Only in {@link Reaping#ALL_ORPHANS} mode, where every such child is
     * known to be an orphan.
     *
     * @param limit how long the killed processes may take to die and be reaped
     * @return the processes that were still running and were killed, in the order first seen
     * @throws IllegalStateException if the mode is not {@link Reaping#ALL_ORPHANS}, or if adopted
     *                               processes are still left after {@code limit} (listed in the message)
     * @throws InterruptedException  if interrupted while waiting
     */
    public static List<ProcessInfo> endAdopted(Duration limit) throws InterruptedException {
        Platforms.requireLinux("Subreaper.endAdopted");
        return SupervisorReaping.endAll(limit);
    }

    /**
     * Tells whether this JVM is a child subreaper, set by {@link #enable()} or by other code.
     *
     * @return whether this JVM is a child subreaper; false on every platform but Linux, which
     *         alone has subreapers
     */
    public static boolean isEnabled() {
        return Platforms.isLinux() && Prctl.isSubreaper();
    }
}
