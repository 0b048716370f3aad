package io.github.procgroup.internal.linux;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Converts {@link System#nanoTime()} readings into the clock of /proc/PID/stat's start time:
 * clock ticks since boot (CLOCK_BOOTTIME, in USER_HZ units, which is 100 on every architecture
 * Linux builds for today; /proc/uptime is that clock in centiseconds).
 *
 * <p>The offset between the two clocks is measured once, when the class loads, and rounded so
 * that a converted time is never later than the truth: CLOCK_BOOTTIME runs ahead of
 * CLOCK_MONOTONIC only while the machine is suspended, so after a suspend converted times are
 * early, never late. The pid-reuse check relies on exactly that direction: a process counts as
 * started before an instant only if its start tick is strictly earlier than the (early) tick of
 * that instant.
 */
final class BootClock {
    private static final long NANOS_PER_TICK = TimeUnit.SECONDS.toNanos(1) / 100;
    private static final long OFFSET_NANOS = measureOffset();

    private BootClock() {
    }

    /** @return the tick of boot time that {@code nanoTime} (a {@link System#nanoTime()} reading) falls in, or earlier */
    static long tickAt(long nanoTime) {
        return Math.floorDiv(nanoTime + OFFSET_NANOS, NANOS_PER_TICK);
    }

    private static long measureOffset() {
        try {
            String uptime;
            // java.io rather than Files.readString, which would load NIO's channels into the first spawn.
            try (FileInputStream in = new FileInputStream("/proc/uptime")) {
                uptime = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
            long centis = parseCentiseconds(uptime.substring(0, uptime.indexOf(' ')));
            // Read after the file: the true offset is at least (uptime truncated) - (a later nanoTime).
            long after = System.nanoTime();
            return centis * NANOS_PER_TICK - after;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/uptime", e);
        }
    }

    /** @return "12345.67" as 1234567 */
    static long parseCentiseconds(String seconds) {
        int dot = seconds.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(seconds) * 100;
        }
        String fraction = seconds.substring(dot + 1).concat("00").substring(0, 2); // concat: no string-concatenation bootstrap at start-up
        return Long.parseLong(seconds.substring(0, dot)) * 100 + Long.parseLong(fraction);
    }
}
