package io.github.procgroup;

import io.github.procgroup.internal.linux.Prctl;
import io.github.procgroup.internal.platform.Platforms;

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
 * <p>The trade-off: the setting is process-wide and lasts as long as the JVM. Orphans of trees
 * that procgroup did not start (for example the grandchildren of a {@code ProcessBuilder}
 * child) re-parent to the JVM too, and nobody reaps them: they stay zombies (holding a pid each)
 * until the JVM exits, because procgroup cannot tell them from the JDK's own children, which it
 * must never reap. So enable it in programs whose children are all started by procgroup (the
 * {@code procgroup} command does), or whose other children leave no orphans.
 */
public final class Subreaper {
    private Subreaper() {
    }

    /**
     * Turns this JVM into a child subreaper and starts the orphan tracker; a second call does nothing.
     *
     * @throws ErrnoException if the kernel refuses ({@code EINVAL}: a kernel before 3.4)
     * @throws UnsupportedOperationException if this JVM does not run on a supported Linux
     */
    public static synchronized void enable() throws ErrnoException {
        Platforms.requireLinux("Subreaper.enable");
        Prctl.becomeSubreaper();
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
