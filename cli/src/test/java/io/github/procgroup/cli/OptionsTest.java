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
    @ValueSource(strings = {"", "s", "-1s", "1.s", ".5s", "1.5.5s", "1e3", "\u0663s", "1x", "1 s", "99999999999d"})
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
    void cgroupAndItsLimits() throws Exception {
        Options o = Options.parse("--cgroup", "--memory=512M", "--pids", "64", "--", "make");
        assertEquals(io.github.procgroup.Containment.CGROUP, o.containment());
        assertEquals(512L << 20, o.limits().maxMemoryBytes());
        assertEquals(64, o.limits().maxProcesses());
        assertEquals(io.github.procgroup.Containment.GROUP, Options.parse("--", "make").containment());
        assertEquals(3L << 30, Options.parse("--cgroup", "--memory", "3g", "make").limits().maxMemoryBytes());
        assertTrue(assertThrows(Options.UsageException.class, () -> Options.parse("--memory=1G", "make"))
                .getMessage().contains("need --cgroup"));
        assertTrue(assertThrows(Options.UsageException.class, () -> Options.parse("--cgroup", "--memory=lots", "make"))
                .getMessage().contains("invalid size for --memory"));
        assertTrue(assertThrows(Options.UsageException.class, () -> Options.parse("--cgroup", "--pids=0", "make"))
                .getMessage().contains("invalid count for --pids"));
    }

    @Test
    void defaults() throws Exception {
        Options o = Options.parse("--timeout=0", "make", "--jobs", "4");
        assertEquals(Optional.empty(), o.timeout(), "0 means no limit, as in GNU timeout");
        assertEquals(Options.DEFAULT_GRACE, o.grace());
        assertEquals(List.of("make", "--jobs", "4"), o.command(), "options end at the first non-option");
    }

    @Test
    void gnuTimeoutForm() throws Exception {
        Options o = Options.parse("-k", "2", "-s", "INT", "--preserve-status", "-v", "1.5", "sleep", "10");
        assertEquals(Optional.of(Duration.ofMillis(1500)), o.timeout());
        assertEquals(Duration.ofSeconds(2), o.grace());
        assertEquals(io.github.procgroup.Signal.INT, o.signal());
        assertTrue(o.preserveStatus() && o.verbose());
        assertEquals(List.of("sleep", "10"), o.command());
    }

    @Test
    void gnuLongOptionsAndClusters() throws Exception {
        Options o = Options.parse("--kill-after=3s", "--signal=SIGHUP", "--foreground", "5m", "vi");
        assertEquals(Duration.ofSeconds(3), o.grace());
        assertEquals(io.github.procgroup.Signal.HUP, o.signal());
        assertTrue(o.foreground());
        assertEquals(Optional.of(Duration.ofMinutes(5)), o.timeout());
        Options c = Options.parse("-vk1", "-s9", "--", "2", "true");
        assertTrue(c.verbose());
        assertEquals(Duration.ofSeconds(1), c.grace());
        assertEquals(io.github.procgroup.Signal.KILL, c.signal());
        assertEquals(Optional.of(Duration.ofSeconds(2)), c.timeout(), "GNU: -- ends the options, DURATION follows");
        assertEquals(List.of("true"), c.command());
    }

    @Test
    void withTimeoutGivenTheFirstOperandIsTheCommandEvenIfItLooksLikeADuration() throws Exception {
        assertEquals(List.of("30", "x"), Options.parse("--timeout", "1s", "30", "x").command());
        assertEquals(Optional.empty(), Options.parse("30").timeout(), "a lone operand is the command");
        assertEquals(List.of("30"), Options.parse("30").command());
    }

    @ParameterizedTest
    @CsvSource({"TERM, TERM", "sigterm, TERM", "SIGKILL, KILL", "15, TERM", "hup, HUP", "10, USR1"})
    void signalsByNameOrNumber(String text, io.github.procgroup.Signal expected) throws Exception {
        assertEquals(expected, Options.signal(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "", "SIG", "999", "99999999999999"})
    void badSignalsNameTheText(String text) {
        Options.UsageException e = assertThrows(Options.UsageException.class, () -> Options.signal(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void helpAndVersion() throws Exception {
        assertTrue(Options.parse("--help").help());
        assertTrue(Options.parse("-v", "--version", "ignored").version());
        var out = new java.io.ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--help"}, new java.io.PrintStream(out), System.err));
        for (String form : List.of("DURATION COMMAND", "--timeout", "-k D", "--kill-after", "--grace", "-s SIG",
                "--signal", "--preserve-status", "--foreground", "--subreaper", "--new-session", "-v, --verbose",
                "--help", "--version", "124", "125", "126", "127")) {
            assertTrue(out.toString().contains(form), "--help does not mention " + form);
        }
    }

    @Test
    void foregroundGoesWithSubreaperButNotWithANewSession() throws Exception {
        Options o = Options.parse("--foreground", "--subreaper", "1", "true");
        assertTrue(o.foreground() && o.subreaper());
        Options.UsageException e = assertThrows(Options.UsageException.class,
                () -> Options.parse("--foreground", "--new-session", "1", "true"));
        assertTrue(e.getMessage().contains("--foreground and --new-session"), e.getMessage());
    }

    @Test
    void optionsAfterDoubleDashBelongToTheCommand() throws Exception {
        assertEquals(List.of("--verbose"), Options.parse("--", "--verbose").command());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"--timeout|--timeout needs a value", "--frobnicate -- true|unknown option '--frobnicate'",
            "--verbose|missing operand", "--verbose --|missing operand", "--timeout 1 --|no command given",
            "-x 1 true|unknown option '-x'", "-k|-k needs a value", "--foreground=yes 1 true|--foreground takes no value", "--grace 1y -- true|--grace: invalid duration '1y'"})
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
