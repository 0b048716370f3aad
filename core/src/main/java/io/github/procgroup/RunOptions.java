package io.github.procgroup;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A builder's settings for a run, frozen when the run starts.
 *
 * @param input       the bytes to feed to stdin, or null to close a piped stdin at once
 * @param charset     how stdout and stderr decode to text
 * @param outputLimit how many bytes of each stream are kept
 * @param stdoutLines the consumer of stdout's lines, or null
 * @param stderrLines the consumer of stderr's lines, or null
 * @param grace       how long the tree has between SIGTERM and SIGKILL when the run ends it
 */
record RunOptions(byte[] input, Charset charset, long outputLimit, Consumer<String> stdoutLines,
                  Consumer<String> stderrLines, Duration grace) {
}
