package io.github.procgroup.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line and duration parsing of the procgroup command, without running anything. */
class OptionsTest {
    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({"30, 30000000000", "1.5s, 1500000000", "250ms, 250000000", "2m, 120000000000",
            "1h, 3600000000000", "1d, 86400000000000", "0, 0", "0.001ms, 1000"})
    void durations(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-1s", "1.s", "1x", "1 s", "99999999999d"})
    void badDurationsNameTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void everyOption() throws Exception {
        Options o = Options.parse("--timeout", "30s", "--grace=2s", "--subreaper", "--new-session", "--verbose",
                "--", "sh", "-c", "exit 3");
        assertEquals(Optional.of(Duration.ofSeconds(30)), o.timeout());
        assertEquals(Duration.ofSeconds(2), o.grace());
        assertTrue(o.subreaper() && o.newSession() && o.verbose());
        assertEquals(List.of("sh", "-c", "exit 3"), o.command());
    }

    @Test
    void defaults() throws Exception {
        Options o = Options.parse("--timeout=0", "make", "--jobs", "4");
        assertEquals(Optional.empty(), o.timeout(), "0 means no limit, as in GNU timeout");
        assertEquals(Options.DEFAULT_GRACE, o.grace());
        assertEquals(List.of("make", "--jobs", "4"), o.command(), "options end at the first non-option");
    }

    @Test
    void optionsAfterDoubleDashBelongToTheCommand() throws Exception {
        assertEquals(List.of("--verbose"), Options.parse("--", "--verbose").command());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"--timeout|--timeout needs a duration", "--frobnicate -- true|unknown option '--frobnicate'",
            "--verbose|no command given", "--verbose --|no command given", "--grace 1y -- true|--grace: invalid duration '1y'"})
    void usageErrorsSayWhat(String args, String message) {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> Options.parse(args.split(" ")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void usageErrorExits125() {
        var err = new java.io.ByteArrayOutputStream();
        assertEquals(125, Main.run(new String[] {"--bogus"}, System.out, new java.io.PrintStream(err)));
        assertTrue(err.toString().startsWith("procgroup: unknown option '--bogus'"), err.toString());
    }
}
