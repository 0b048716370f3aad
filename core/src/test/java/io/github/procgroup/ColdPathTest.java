package io.github.procgroup;

import io.github.procgroup.cgroup.CgroupTesting;
import io.github.procgroup.cgroup.NoLeafLeft;
import io.github.procgroup.scenarios.ColdPathScenario;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A fresh JVM's first spawn and first tree ends spin no class for procgroup's own code: no lambda,
 * method reference or string concatenation bound by invokedynamic on the way of {@code start()},
 * {@code waitFor()}, {@code tree()}, {@code terminate()}, {@code close()} and
 * {@code destroyForcibly()} (see "Code that runs cold" in the Linux backend's package-info). Each
 * such class costs about a millisecond at its first call; this asserts the classes, from the JVM's
 * class-loading log, not the time. Once with process groups, once with a cgroup per child
 * (skipped, with the reason, where this user cannot create one).
 */
@ExtendWith({NoLeftovers.class, NoLeafLeft.class})
class ColdPathTest {

    @Test
    @Timeout(120)
    void theFirstSpawnAndTreeEndsSpinNoClassForProcgroupsCode(@TempDir Path dir) throws Exception {
        assertNoClassSpun(dir, "group");
    }

    @Test
    @Timeout(120)
    void theFirstSpawnAndTreeEndsInCgroupsSpinNoClassForProcgroupsCode(@TempDir Path dir) throws Exception {
        String why = CgroupTesting.whyUnavailable();
        assumeTrue(why == null, () -> "skipped: " + why);
        assertNoClassSpun(dir, "cgroup");
    }

    private static void assertNoClassSpun(Path dir, String containment) throws Exception {
        Path log = dir.resolve("classes.log");
        try (ChildJvm jvm = ChildJvm.start(List.of("-Xlog:class+load=info:file=" + log), ColdPathScenario.class,
                containment)) {
            assertEquals("3", jvm.read("ended"));
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(30)));
        }
        List<String> lines = Files.readAllLines(log);
        int before = indexOf(lines, ColdPathScenario.Before.class.getName());
        int after = indexOf(lines, ColdPathScenario.After.class.getName());
        assertTrue(before >= 0 && after > before, "the markers are not in the log");
        List<String> between = lines.subList(before + 1, after);
        String ending = containment.equals("cgroup") ? "CgroupTree" : "ProcessTree";
        assertTrue(between.stream().anyMatch(l -> l.contains(" io.github.procgroup.internal.linux." + ending + " ")),
                "no " + ending + " between the markers: the log does not show what ran");
        List<String> spun = between.stream()
                .filter(l -> (l.contains(" io.github.procgroup.") && l.contains("$$Lambda")) || l.contains("$$StringConcat"))
                .toList();
        assertEquals(List.of(), spun, "classes spun for procgroup's code during the first spawn and tree ends");
    }

    /** @return the index of the line that logs {@code className}'s load, or -1 */
    private static int indexOf(List<String> lines, String className) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" " + className + " ")) {
                return i;
            }
        }
        return -1;
    }
}
