package io.github.procgroup.internal;

import io.github.procgroup.Containment;
import io.github.procgroup.Limits;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the builder asked for the tree to be held together.
 *
 * @param containment  the level asked for
 * @param cgroupParent the cgroup v2 directory to create the child's leaf cgroup under, or null
 *                     for the default (the {@code procgroup.cgroup.parent} system property, else
 *                     the JVM's own cgroup)
 * @param limits       limits for the tree
 */
public record ContainmentRequest(Containment containment, Path cgroupParent, Limits limits) {
    /** A process group, no limits: what procgroup's own helpers get. */
    public static final ContainmentRequest GROUP = new ContainmentRequest(Containment.GROUP, null, Limits.NONE);

    /** Checks the values. */
    public ContainmentRequest {
        Objects.requireNonNull(containment, "containment");
        Objects.requireNonNull(limits, "limits");
        if (containment == Containment.JOB_OBJECT) {
            throw new IllegalArgumentException("JOB_OBJECT is reported, never asked for: use CGROUP or AUTO");
        }
    }
}
