package io.github.procgroup.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar procgroup.jar} on a Java older than 22: one line and exit 125, not a class-version error. */
class OldJvmIT {
    @TempDir
    Path dir;

    @Test
    void anOldJavaGetsOneClearLineAndExit125() throws Exception {
        Assumptions.assumeTrue(Command.OLD_JAVA_HOME != null,
                "no Java 8 to 21 found under /usr/lib/jvm, /opt/java or /opt/jdk* to run the jar on");
        Path java = Command.OLD_JAVA_HOME.resolve("bin/java");
        int feature = OldJava.featureVersion(Command.OLD_JAVA_HOME).orElseThrow();
        Process p = new ProcessBuilder(java.toString(), "-jar", Command.JAR.toString(), "--timeout", "5s", "--", "true")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the old JVM did not exit");

        assertEquals(125, p.exitValue());
        assertEquals(List.of("procgroup needs Java 22 or newer; this is " + feature + " (java.home=" + Command.OLD_JAVA_HOME + ")"),
                Files.readAllLines(dir.resolve("out")));
    }
}
