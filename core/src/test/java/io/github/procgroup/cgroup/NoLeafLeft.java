package io.github.procgroup.cgroup;

import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * After each test: no leaf cgroup of this JVM is left (the exit watcher removes leaves
 * asynchronously after a natural end, so this waits up to 5 s). On failure it kills and removes
 * what it found, so one broken test leaves nothing in the hierarchy for the next.
 */
public final class NoLeafLeft implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (CgroupTesting.whyUnavailable() != null) {
            return;
        }
        try {
            ProcFs.await(() -> CgroupTesting.leavesOfThisJvm().isEmpty(), Duration.ofSeconds(5),
                    () -> "leaf cgroups left behind: " + CgroupTesting.leavesOfThisJvm());
        } catch (AssertionError left) {
            List<Path> leaves = CgroupTesting.leavesOfThisJvm();
            for (Path leaf : leaves) {
                Files.writeString(leaf.resolve("cgroup.kill"), "1");
            }
            ProcFs.await(() -> {
                leaves.forEach(l -> l.toFile().delete());
                return CgroupTesting.leavesOfThisJvm().isEmpty();
            }, Duration.ofSeconds(5), () -> "cannot remove " + CgroupTesting.leavesOfThisJvm());
            throw left;
        }
    }
}
