package io.github.procgroup;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.NativeAccess;
import io.github.procgroup.internal.linux.AdoptedOrphans;
import io.github.procgroup.internal.linux.Errno;
import io.github.procgroup.internal.linux.Posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
     */
    public static synchronized void enable() throws ErrnoException {
        NativeAccess.require();
        int r = Posix.prctl(LibC.PR_SET_CHILD_SUBREAPER(), 1);
        if (r < 0) {
            throw Errno.exception("cannot become a child subreaper (prctl PR_SET_CHILD_SUBREAPER)", -r);
        }
        AdoptedOrphans.start();
    }

    /** @return whether this JVM is a child subreaper (set by {@link #enable()} or inherited code) */
    public static boolean isEnabled() {
        NativeAccess.require();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flag = arena.allocate(ValueLayout.JAVA_INT);
            return Posix.prctl(LibC.PR_GET_CHILD_SUBREAPER(), flag.address()) == 0
                    && flag.get(ValueLayout.JAVA_INT, 0) != 0;
        }
    }
}
