package io.github.procgroup.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;

/**
 * After each test: no child of this JVM is left, running or zombie. The exit watcher reaps
 * asynchronously, so this waits up to 5 s before failing; on failure it kills what it found,
 * so one broken test does not leave processes behind for the next.
 *
 * <p>Scoped to this JVM's own children on purpose: other JVMs on the machine (a parallel
 * build, CI) have processes of their own.
 */
public final class NoLeftovers implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            ProcFs.await(() -> ProcFs.childrenOfThisJvm().isEmpty(), Duration.ofSeconds(5),
                    () -> "children of the test JVM left behind: " + ProcFs.childrenOfThisJvm());
        } catch (AssertionError leftovers) {
            List<ProcFs.Proc> children = ProcFs.childrenOfThisJvm();
            for (ProcFs.Proc p : children) {
                ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
            throw leftovers;
        }
    }
}
