package io.github.procgroup;

import java.time.Duration;

/**
 * Resources the group leader used, as {@code wait4} reported them when procgroup reaped it.
 * The figures cover the leader and those of its own children it waited for, not members
 * of the group it never waited for.
 *
 * @param userCpu      CPU time spent in user mode
 * @param systemCpu    CPU time spent in the kernel
 * @param maxRssBytes  the largest resident set size, in bytes
 */
public record ResourceUsage(Duration userCpu, Duration systemCpu, long maxRssBytes) {
}
