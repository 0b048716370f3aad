package io.github.procgroup;

/**
 * How a child's tree is held together, chosen with {@link GroupProcessBuilder#containment(Containment)}
 * and reported by {@link GroupProcess#containment()}.
 *
 * <p>A process group is a convention: any process of the tree can leave it with {@code setsid}
 * or {@code setpgid}, and once its parent has died it can no longer be traced. A cgroup v2 is
 * enforced by the kernel: a process cannot move out of a cgroup it has no write access to,
 * {@code cgroup.kill} kills every member at once, and {@code cgroup.events} says when the last
 * one has gone. A Job Object is Windows' kernel-enforced equivalent. Where procgroup has no native
 * backend (see {@code docs/platforms.md}), the tree is only what the JDK's
 * {@link ProcessHandle#descendants()} can see. See {@code docs/guarantees.md} for what each level promises.
 */
public enum Containment {
    /** The child leads a new process group; escapees are traced through /proc (the default). */
    GROUP,
    /**
     * Linux: the child also gets a fresh cgroup v2 of its own, before it runs a single instruction
     * of the program; {@link GroupProcessBuilder#start()} fails if no writable cgroup v2 is found.
     * On Windows every tree is in a Job Object, which is the equivalent: the child reports
     * {@link #JOB_OBJECT}.
     */
    CGROUP,
    /**
     * The strongest level this host allows: {@link #CGROUP} where a writable cgroup v2 is found,
     * else {@link #GROUP}, with one {@link System.Logger} message (logger {@code io.github.procgroup})
     * saying why.
     */
    AUTO,
    /** Windows: the tree is in a Job Object (only ever reported, never asked for). */
    JOB_OBJECT,
    /**
     * The portable fallback, where procgroup has no native backend for the platform (or it was
     * forced with {@code -Dprocgroup.backend=portable}): the child is started by
     * {@link ProcessBuilder}, in the JVM's own process group, and its tree is what
     * {@link ProcessHandle#descendants()} finds by parent links, plus the processes seen in it
     * earlier that still run. A process whose parent exited before procgroup first listed the
     * tree is re-parented out of it and cannot be found or ended; only {@link Signal#TERM} and
     * {@link Signal#KILL} can be sent; there is no kill on parent death. Only ever reported.
     */
    DESCENDANTS
}
