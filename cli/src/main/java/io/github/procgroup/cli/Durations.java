package io.github.procgroup.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as GNU {@code timeout} writes them: a number, optionally with a fraction,
 * and a unit {@code ms}, {@code s} (the default), {@code m}, {@code h} or {@code d}.
 * Examples: {@code 30}, {@code 1.5s}, {@code 250ms}, {@code 2m}.
 */
final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)?");

    private Durations() {
    }

    /**
     * @param text the duration, for example {@code 1.5s}
     * @return the duration (zero is allowed)
     * @throws IllegalArgumentException naming the text if it is not a duration
     */
    static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (examples: 30, 1.5s, 250ms, 2m, 1h)");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        long nanosPerUnit = switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit));
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException tooLongOrFractional) {
            if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException("duration '" + text + "' is too long");
            }
            return Duration.ofNanos(nanos.longValue()); // a fraction of a nanosecond: dropped
        }
    }

    /** @return whether {@code text} is a duration {@link #parse} accepts */
    static boolean isDuration(String text) {
        if (!FORMAT.matcher(text).matches()) {
            return false;
        }
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException tooLong) {
            return false;
        }
    }

    /** @return the duration as a short human text, for example {@code 1.5s} */
    static String format(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
    }
}
