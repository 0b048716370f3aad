package io.github.procgroup.internal.linux;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a fresh JVM links for its first spawn and wait: the one downcall shape every call goes
 * through (see {@link Downcalls}), and so one stub class spun by FFM. A second shape on the spawn
 * path shows here before it shows in the cold-start benchmark.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "spawns through the Linux backend")
@ExtendWith(NoLeftovers.class)
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FirstSpawnShapesTest {
    @TempDir
    Path tmp;

    @Test
    void aFirstSpawnAndWaitLinksOneShape() throws Exception {
        Path log = tmp.resolve("classes.txt");
        try (ChildJvm jvm = ChildJvm.start(List.of("-Xlog:class+load=info:file=" + log), Scenario.class)) {
            assertEquals("0", jvm.read("exit"));
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(60)));
        }
        assertOneStub(log, "a first spawn and wait");
    }

    @Test
    void aTreeListingAndTerminateLinkOneShape() throws Exception {
        Path log = tmp.resolve("classes.txt");
        try (ChildJvm jvm = ChildJvm.start(List.of("-Xlog:class+load=info:file=" + log), TreeScenario.class)) {
            assertEquals("true", jvm.read("listed"));
            assertEquals("true", jvm.read("ended"));
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(60)));
        }
        assertOneStub(log, "a spawn, a tree listing (which asks prctl) and terminate");
    }

    /** Asserts that the class-load log {@code log} shows one downcall stub spun, for {@code what}. */
    private static void assertOneStub(Path log, String what) throws IOException {
        long stubs = Files.readAllLines(log).stream().filter(l -> l.contains(" jdk.internal.foreign.abi.DowncallStub")).count();
        Assumptions.assumeTrue(stubs > 0, "this JDK does not spin its downcall stubs as classes named DowncallStub");
        assertEquals(1, stubs, "downcall stubs spun for " + what);
    }

    /** Run by the test in a JVM of its own: one spawn and wait of {@code true}, {@code exit=CODE}. */
    public static final class Scenario {
        private Scenario() {
        }

        public static void main(String[] args) throws Exception {
            try (GroupProcess p = new GroupProcessBuilder("true").start()) {
                System.out.println("exit=" + p.waitFor());
            }
        }
    }

    /**
     * Run by the test in a JVM of its own: a shell with a child, listed ({@code listed=true} once
     * the child shows) and terminated ({@code ended=true} once the whole tree is gone).
     */
    public static final class TreeScenario {
        private TreeScenario() {
        }

        public static void main(String[] args) throws Exception {
            try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 600 & wait").start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                boolean listed = false;
                while (!listed && System.nanoTime() < deadline) {
                    listed = p.tree().size() >= 2;
                    if (!listed) {
                        Thread.sleep(10);
                    }
                }
                System.out.println("listed=" + listed);
                p.terminate(Duration.ofSeconds(5));
                System.out.println("ended=" + p.tree().isEmpty());
            }
        }
    }
}
