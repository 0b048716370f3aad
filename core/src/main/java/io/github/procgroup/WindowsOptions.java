package io.github.procgroup;

import java.util.Objects;

/**
 * What only the Windows backend honours (see {@link GroupProcessBuilder#windowsOptions(WindowsOptions)}).
 * Other platforms never read these options, so portable code may set them unconditionally, as
 * with Go's per-platform {@code SysProcAttr}: the type says which platform acts on them.
 *
 * @param jobLimits limits the tree's Job Object enforces
 */
public record WindowsOptions(JobLimits jobLimits) {
    /** No Windows-specific option. */
    public static final WindowsOptions NONE = new WindowsOptions(JobLimits.NONE);

    /** Checks that the limits are set. */
    public WindowsOptions {
        Objects.requireNonNull(jobLimits, "jobLimits");
    }

    /**
     * Returns a copy with other job limits.
     *
     * @param limits limits for the tree's Job Object
     * @return a copy with those limits
     */
    public WindowsOptions withJobLimits(JobLimits limits) {
        return new WindowsOptions(limits);
    }
}
