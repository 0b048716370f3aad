package io.github.procgroup.portable;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A platform without a native backend gets the portable fallback, not an exception: a JVM started
 * with another platform's {@code os.name} or {@code os.arch} starts, reads and ends a tree. Runs
 * on any host the tests run on (the child JVM uses only the JDK's process API then).
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
@Timeout(120)
class PlatformFallbackTest {

    @Test
    void macOsGetsAWorkingFallback() throws Exception {
        assertWorkingFallback(run("-Dos.name=Mac OS X", "-Dos.arch=aarch64"));
    }

    @Test
    void anArchitectureWithoutBindingsGetsTheFallback() throws Exception {
        assertWorkingFallback(run("-Dos.arch=riscv64"));
    }

    private static void assertWorkingFallback(String output) {
        assertTrue(output.contains("containment=DESCENDANTS\n"), output);
        assertTrue(output.contains("output=hello\n"), output);
        assertTrue(output.contains("status=killed by SIGTERM\n"), output);
        assertTrue(output.contains("tree=[]\n"), output);
        assertTrue(output.contains("exit=0"), output);
    }

    private static String run(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FallbackScenario.class.getName()));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read on another thread, so a hung scenario fails by the deadline below instead of blocking the test.
        var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!jvm.waitFor(60, TimeUnit.SECONDS)) {
            jvm.destroyForcibly().waitFor();
            throw new AssertionError("the scenario JVM hung: " + output.getNow(""));
        }
        return output.get(10, TimeUnit.SECONDS) + "exit=" + jvm.exitValue();
    }
}
