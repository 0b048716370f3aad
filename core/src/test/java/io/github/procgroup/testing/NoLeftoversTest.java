package io.github.procgroup.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The cleanup check sees what the JVM's direct children do not show: grandchildren and escapees. */
class NoLeftoversTest {

    @Test
    void seesAGrandchildThatEscapedToInit() throws Exception {
        assumeTrue(NoLeftovers.mark().isPresent(), "the build sets " + NoLeftovers.MARK_VARIABLE + "; this run has none");
        // A daemon: the shell starts a setsid'd sleep in the background, prints its pid and exits.
        Process shell = new ProcessBuilder("sh", "-c", "setsid sleep 60 >/dev/null 2>&1 & echo $!").start();
        long escapee = Long.parseLong(shell.inputReader().readLine()); // the sleep holds no end of the pipe
        try {
            assertEquals(0, shell.waitFor());
            ProcFs.await(() -> ProcFs.proc(escapee).map(p -> p.ppid() != ProcFs.self() && p.comm().equals("sleep"))
                    .orElse(false), Duration.ofSeconds(10), () -> "not re-parented yet: " + ProcFs.proc(escapee));
            assertFalse(ProcFs.childrenOfThisJvm().stream().anyMatch(p -> p.pid() == escapee), "no child of this JVM");

            Map<ProcFs.Proc, String> found = NoLeftovers.leftovers();

            ProcFs.Proc sleep = found.keySet().stream().filter(p -> p.pid() == escapee).findFirst()
                    .orElseThrow(() -> new AssertionError("escapee " + escapee + " not seen: " + found));
            assertTrue(found.get(sleep).startsWith("carries " + NoLeftovers.MARK_VARIABLE + "="), found.get(sleep));
        } finally {
            ProcessHandle.of(escapee).ifPresent(ProcessHandle::destroyForcibly);
        }
        ProcFs.await(() -> !ProcFs.running(escapee), Duration.ofSeconds(10), () -> "escapee survived SIGKILL");
        assertTrue(NoLeftovers.leftovers().keySet().stream().noneMatch(p -> p.pid() == escapee));
    }

    @Test
    void seesARunningGrandchildThroughItsParent() throws Exception {
        // The grandchild gets an environment without the mark: only the parent link shows it.
        Process shell = new ProcessBuilder("sh", "-c", "env -i sleep 60 >/dev/null 2>&1 & echo $!; wait").start();
        long grandchild = Long.parseLong(shell.inputReader().readLine());
        try {
            Map<ProcFs.Proc, String> found = NoLeftovers.leftovers();
            assertEquals("descendant of the test JVM", found.entrySet().stream().filter(e -> e.getKey().pid() == grandchild)
                    .map(Map.Entry::getValue).findFirst().orElse("not seen: " + found));
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            shell.waitFor();
        }
    }
}
