package io.github.procgroup.cli;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Parses durations as GNU {@code timeout} writes them: a number, optionally with a fraction,
 * and a unit {@code ms}, {@code s} (the default), {@code m}, {@code h} or {@code d}.
 * Examples: {@code 30}, {@code 1.5s}, {@code 250ms}, {@code 2m}.
 */
final class Durations {
    private Durations() {
    }

    /**
     * @param text the duration, for example {@code 1.5s}
     * @return the duration (zero is allowed)
     * @throws IllegalArgumentException naming the text if it is not a duration
     */
    static Duration parse(String text) {
        int numberEnd = numberEnd(text);
        if (numberEnd < 0) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (examples: 30, 1.5s, 250ms, 2m, 1h)");
        }
        String unit = numberEnd == text.length() ? "s" : text.substring(numberEnd);
        long nanosPerUnit = switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        BigDecimal nanos = new BigDecimal(text.substring(0, numberEnd)).multiply(BigDecimal.valueOf(nanosPerUnit));
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
        if (numberEnd(text) < 0) {
            return false;
        }
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException tooLong) {
            return false;
        }
    }

    /**
     * Checks the form {@code DIGITS[.DIGITS][ms|s|m|h|d]} by hand: the command's start-up should not
     * pay for {@code java.util.regex}.
     *
     * @return where the number ends and the unit begins, or -1 if {@code text} is not of that form
     */
    private static int numberEnd(String text) {
        int i = digits(text, 0);
        if (i == 0) {
            return -1;
        }
        if (i < text.length() && text.charAt(i) == '.') {
            int fractionEnd = digits(text, i + 1);
            if (fractionEnd == i + 1) {
                return -1;
            }
            i = fractionEnd;
        }
        return switch (text.substring(i)) {
            case "", "ms", "s", "m", "h", "d" -> i;
            default -> -1;
        };
    }

    /** @return the index after the ASCII digits of {@code text} that start at {@code from} */
    private static int digits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** @return the duration as a short human text, for example {@code 1.5s} */
    static String format(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
    }
}
