package io.github.procgroup;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.scenarios.UnsupportedPlatform;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform check: a JVM that claims another OS or architecture gets one clear
 * exception from every start() (never an Error on a later call), and Signal still works.
 */
@ExtendWith(NoLeftovers.class)
class PlatformTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Linux    | aarch64",
            "Mac OS X | aarch64",
            "Mac OS X | x86_64",
            "FreeBSD  | amd64"})
    void anUnsupportedPlatformGetsOneClearExceptionFromEveryStart(String osName, String osArch) throws Exception {
        try (ChildJvm jvm = ChildJvm.start(List.of("-Dos.name=" + osName, "-Dos.arch=" + osArch), UnsupportedPlatform.class)) {
            assertEquals("returned TERM/15", jvm.read("signal"), "Signal loads without the bindings");
            String first = jvm.read("start1");
            String expected = "java.lang.UnsupportedOperationException: procgroup does not support os.name \""
                    + osName + "\" on os.arch \"" + osArch + "\": it has bindings for Linux on x86_64, Windows on x86_64 only";
            assertEquals(expected, first);
            assertEquals(first, jvm.read("start2"), "the same exception again, not a NoClassDefFoundError");
            String signalMe = jvm.read("signalMe");
            assertTrue(signalMe.startsWith("java.lang.UnsupportedOperationException: ParentDeath.signalMe needs Linux on x86_64")
                    && signalMe.contains(osName) && signalMe.contains(osArch), signalMe);
            assertEquals("returned false", jvm.read("subreaperEnabled"));
            assertEquals("1", jvm.read("done"));
            assertEquals(0, jvm.exitAfter(ChildJvm.LINE_TIMEOUT));
        }
    }

    @Test
    void signalNumbersAreTheLinuxBindingsOnes() {
        Map<Signal, Integer> bound = Map.ofEntries(
                Map.entry(Signal.HUP, LibC.SIGHUP()), Map.entry(Signal.INT, LibC.SIGINT()),
                Map.entry(Signal.QUIT, LibC.SIGQUIT()), Map.entry(Signal.ILL, LibC.SIGILL()),
                Map.entry(Signal.TRAP, LibC.SIGTRAP()), Map.entry(Signal.ABRT, LibC.SIGABRT()),
                Map.entry(Signal.BUS, LibC.SIGBUS()), Map.entry(Signal.FPE, LibC.SIGFPE()),
                Map.entry(Signal.KILL, LibC.SIGKILL()), Map.entry(Signal.USR1, LibC.SIGUSR1()),
                Map.entry(Signal.SEGV, LibC.SIGSEGV()), Map.entry(Signal.USR2, LibC.SIGUSR2()),
                Map.entry(Signal.PIPE, LibC.SIGPIPE()), Map.entry(Signal.ALRM, LibC.SIGALRM()),
                Map.entry(Signal.TERM, LibC.SIGTERM()), Map.entry(Signal.CHLD, LibC.SIGCHLD()),
                Map.entry(Signal.CONT, LibC.SIGCONT()), Map.entry(Signal.STOP, LibC.SIGSTOP()),
                Map.entry(Signal.TSTP, LibC.SIGTSTP()), Map.entry(Signal.TTIN, LibC.SIGTTIN()),
                Map.entry(Signal.TTOU, LibC.SIGTTOU()), Map.entry(Signal.URG, LibC.SIGURG()),
                Map.entry(Signal.XCPU, LibC.SIGXCPU()), Map.entry(Signal.XFSZ, LibC.SIGXFSZ()),
                Map.entry(Signal.VTALRM, LibC.SIGVTALRM()), Map.entry(Signal.PROF, LibC.SIGPROF()),
                Map.entry(Signal.WINCH, LibC.SIGWINCH()), Map.entry(Signal.IO, LibC.SIGIO()),
                Map.entry(Signal.PWR, LibC.SIGPWR()), Map.entry(Signal.SYS, LibC.SIGSYS()));
        assertEquals(Signal.values().length, bound.size(), "every signal is compared");
        bound.forEach((signal, number) -> assertEquals(number, signal.number(), signal.signalName()));
    }
}
