package io.github.procgroup;

import io.github.procgroup.testing.Children;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.github.procgroup.EnvironmentTest.executable;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One exec per spawn, of the program itself; scripts without a shebang run by /bin/sh. */
@ExtendWith(NoLeftovers.class)
class ExecTest {
    @TempDir
    Path tmp;

    @Test
    void childIsTheProgramItselfWithNoHelperInBetween() throws Exception {
        Path sleep = Path.of(Children.output(new GroupProcessBuilder("sh", "-c", "command -v sleep")).trim());
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            assertEquals(sleep.toRealPath(), Files.readSymbolicLink(Path.of("/proc/" + p.pid() + "/exe")));
            assertEquals(ProcFs.self(), ProcFs.proc(p.pid()).orElseThrow().ppid(), "a direct child of the JVM");
            // The kernel lets posix_spawn return a moment before it has set up the new argv: wait for it.
            ProcFs.await(() -> !cmdline(p.pid()).isEmpty(), Duration.ofSeconds(5), () -> "no argv yet");
            assertEquals(List.of("sleep", "60"), cmdline(p.pid()), "argv[0] is the program as named");
        }
    }

    @Test
    void scriptWithoutShebangIsRunByBinSh() throws Exception {
        Path script = tmp.resolve("no-shebang");
        executable(script, "echo \"ran by sh: $# args: $1|$2\"\n");
        String out = Children.output(new GroupProcessBuilder(script.toString(), "one arg", "two"));
        assertEquals("ran by sh: 2 args: one arg|two\n", out);
    }

    @Test
    void relativeProgramIsResolvedInTheChildsDirectory() throws Exception {
        executable(tmp.resolve("here"), "#!/bin/sh\necho here\n");
        assertEquals("here\n", Children.output(new GroupProcessBuilder("./here").directory(tmp)));
    }

    private static List<String> cmdline(long pid) {
        try {
            String raw = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
            return raw.isEmpty() ? List.of() : List.of(raw.substring(0, raw.length() - 1).split("\0"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
