package io.github.procgroup.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Which programs the machine has, for tests that skip with a stated reason where one is missing. */
public final class Programs {
    private Programs() {
    }

    /** @return whether an executable file named {@code program} is in a directory of PATH */
    public static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A command that moves itself into this JVM's process group (the one other group of its
     * session it can name, with setpgid) and then runs {@code then}, Perl code that execs the
     * program the test needs. Skips the calling test where perl is not installed.
     */
    public static List<String> joiningTheJvmsGroup(String then) {
        Assumptions.assumeTrue(onPath("perl"), "perl, which calls setpgid for the process, is not installed");
        return List.of("perl", "-e", "$| = 1; setpgrp(0, getpgrp(getppid())) or die $!; " + then);
    }
}
