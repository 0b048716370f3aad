package io.github.procgroup.cli;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs every {@code console} example of docs/cli.md from the repository's root, as a reader
 * pastes them into a shell (the launcher as from a fresh shell, see {@link Command}), and compares
 * what each prints with the lines the page shows under it. The GNU timeout comparisons are claims
 * about coreutils; they are skipped where {@code timeout} is not GNU's.
 *
 * <p>Each example runs under {@code bin/procgroup --subreaper}, so what GNU timeout leaves behind
 * is adopted by that procgroup and ended with it: the page's {@code pkill} lines, which match by
 * name and could reach other people's processes on a shared machine, are not run here.
 */
@ExtendWith(NoLeftovers.class)
class CliDocIT {
    static final Path DOC = Path.of(System.getProperty("procgroup.docs", "../docs/cli.md"));

    @TempDir
    Path dir;

    /** One {@code $ command} line of the page and the output lines under it. */
    record Example(String command, List<String> output) {
    }

    @Test
    void everyConsoleExampleOfTheCommandsPagePrintsWhatThePageSays() throws Exception {
        Assumptions.assumeTrue(gnuTimeout(), "the page compares with GNU coreutils timeout, which is not installed");
        List<Example> examples = examples(Files.readAllLines(DOC));
        Assumptions.assumeFalse(examples.isEmpty(), "no examples found in " + DOC);
        for (Example example : examples) {
            if (!example.command().startsWith("pkill ")) {
                assertEquals(example.output(), run(example.command()), "$ " + example.command());
            }
        }
    }

    static List<Example> examples(List<String> lines) {
        List<Example> examples = new ArrayList<>();
        boolean inConsole = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                inConsole = line.equals("```console");
            } else if (inConsole && line.startsWith("$ ")) {
                examples.add(new Example(line.substring(2), new ArrayList<>()));
            } else if (inConsole && !examples.isEmpty()) {
                examples.getLast().output().add(line);
            }
        }
        return examples;
    }

    private List<String> run(String command) throws IOException, InterruptedException {
        Path out = dir.resolve("out");
        GroupProcessBuilder builder = new GroupProcessBuilder(Command.LAUNCHER.toString(), "--subreaper", "--",
                "sh", "-c", command)
                .directory(DOC.toAbsolutePath().getParent().getParent())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(dir.resolve("err").toFile());
        Command.asFromAFreshShell(builder.environment());
        try (GroupProcess shell = builder.start()) {
            if (shell.awaitExit(Duration.ofSeconds(120)).isEmpty()) {
                throw new AssertionError("still running after 120 s: " + command);
            }
            assertEquals(List.of(), shell.tree(), "left running by: " + command);
        }
        return Files.readAllLines(out);
    }

    private static boolean gnuTimeout() {
        try {
            Process p = new ProcessBuilder("timeout", "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes());
            return p.waitFor() == 0 && version.contains("GNU coreutils");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
