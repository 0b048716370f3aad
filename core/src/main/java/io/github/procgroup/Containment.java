package io.github.procgroup;

/**
 * How a child's tree is held together, as reported by {@link GroupProcess#containment()}: what
 * procgroup can promise about finding and ending every process of it.
 *
 * <p>A process group is a convention: any process of the tree can leave it with {@code setsid}
 * or {@code setpgid}, and once its parent has died it can no longer be traced. A Job Object is
 * enforced by the kernel. Where procgroup has no native backend (see {@code docs/platforms.md}),
 * the tree is only what the JDK's {@link ProcessHandle#descendants()} can see.
 */
public enum Containment {
    /** The child leads a new process group; escapees are traced through /proc (Linux). */
    GROUP,
    /** Windows: the tree is in a Job Object (only ever reported, never asked for). */
    JOB_OBJECT,
    /**
     * The portable fallback, where procgroup has no native backend for the platform (or it was
     * forced with {@code -Dprocgroup.backend=portable}): the child is started by
     * {@link ProcessBuilder}, in the JVM's own process group, and its tree is what
     * {@link ProcessHandle#descendants()} finds by parent links, plus the processes seen in it
     * earlier that still run. A process whose parent exited before procgroup first listed the
     * tree is re-parented out of it and cannot be found or ended; only {@link Signal#TERM} and
     * {@link Signal#KILL} can be sent; there is no kill on parent death.
     */
    DESCENDANTS
}
