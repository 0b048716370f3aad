package io.github.procgroup.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds out, before the JMH run, whether the running JDK still accepts
 * {@code -Djdk.lang.Process.launchMechanism=VFORK}: a JVM started with it spawns one child.
 * A JDK that dropped VFORK throws {@link Error} from {@code ProcessImpl}'s initialiser.
 */
final class VforkProbe {
    private VforkProbe() {
    }

    /**
     * The verdict.
     *
     * @param accepted whether a JVM with VFORK could spawn a child
     * @param output   what that JVM printed (the JDK's deprecation notice, or the Error)
     */
    record Verdict(boolean accepted, String output) {
        String describe() {
            if (!accepted) {
                return "rejected by this JDK, so not measured: " + output.strip().lines().findFirst().orElse("");
            }
            return output.contains("DEPRECATED") ? "accepted by this JDK (deprecated: it warns)" : "accepted by this JDK";
        }
    }

    /** @return whether a JVM like this one, with VFORK set, can start /bin/true */
    static Verdict run() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, SpawnBenchmark.VFORK,
                "-cp", System.getProperty("java.class.path"), VforkProbe.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Verdict(p.waitFor() == 0, output);
    }

    /**
     * Run with VFORK set: spawns /bin/true.
     *
     * @param args ignored
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        try {
            System.exit(new ProcessBuilder("/bin/true").start().waitFor());
        } catch (Error e) {
            System.out.println(e);
            System.exit(1);
        }
    }
}
