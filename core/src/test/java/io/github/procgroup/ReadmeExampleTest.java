package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's usage example, verbatim between the markers, so that it compiles and runs. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class ReadmeExampleTest {

    static ExitStatus readmeExample() throws IOException, InterruptedException {
        // README-EXAMPLE-START
        GroupProcessBuilder builder = new GroupProcessBuilder(
                "sh", "-c", "echo started; sleep 600 & sleep 600 & wait")
                .redirectErrorStream(true);
        try (GroupProcess build = builder.start()) {           // the child leads a new process group
            String firstLine = build.inputReader(StandardCharsets.UTF_8).readLine();
            System.out.println(firstLine + ": pid " + build.pid() + ", group " + build.processGroupId());
            ExitStatus status = build.terminate(Duration.ofSeconds(5)); // TERM to the group, KILL after 5 s
            System.out.println(status);                          // "killed by SIGTERM"
            return status;
        }                                                        // close(): kills and reaps whatever is left
        // README-EXAMPLE-END
    }

    @Test
    void readmeExampleEndsTheWholeTree() throws Exception {
        ExitStatus status = readmeExample();
        assertEquals(Signal.TERM, status.signal().orElseThrow());
        assertTrue(ProcFs.childrenOfThisJvm().isEmpty());
    }
}
