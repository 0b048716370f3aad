package io.github.procgroup.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
