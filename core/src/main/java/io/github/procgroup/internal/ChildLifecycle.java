package io.github.procgroup.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * How a child's stdio and terminal behave around its exit, and how the shutdown hook ends it.
 *
 * @param streamsOutliveLeader whether the pipes stay open after the leader's reap (else they are
 *                             drained into memory and closed then, as the JDK does)
 * @param foreground           whether the child's group is the terminal's foreground group while it runs
 * @param exitHookGrace        how long the shutdown hook lets the tree handle SIGTERM before SIGKILL
 */
public record ChildLifecycle(boolean streamsOutliveLeader, boolean foreground, Duration exitHookGrace) {
    /** The builder's defaults: streams end at the reap, no foreground, a 3 s grace. */
    public static final ChildLifecycle DEFAULT = new ChildLifecycle(false, false, Duration.ofSeconds(3));

    /** Checks the grace. */
    public ChildLifecycle {
        Objects.requireNonNull(exitHookGrace, "exitHookGrace");
        if (exitHookGrace.isNegative()) {
            throw new IllegalArgumentException("exitHookGrace must not be negative: " + exitHookGrace);
        }
    }
}
