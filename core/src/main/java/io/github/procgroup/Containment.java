package io.github.procgroup;

/**
 * How a child's tree is held together, chosen with {@link GroupProcessBuilder#containment(Containment)}
 * and reported by {@link GroupProcess#containment()}.
 *
 * <p>A process group is a convention: any process of the tree can leave it with {@code setsid}
 * or {@code setpgid}, and once its parent has died it can no longer be traced. A cgroup v2 is
 * enforced by the kernel: a process cannot move out of a cgroup it has no write access to,
 * {@code cgroup.kill} kills every member at once, and {@code cgroup.events} says when the last
 * one has gone. See {@code docs/guarantees.md} (cgroup containment) for where cgroups are
 * available and what each level promises.
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
    JOB_OBJECT
}
