package io.github.procgroup.cgroup;

import io.github.procgroup.Containment;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;

import io.github.procgroup.Limits;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Programs {@link CgroupLifetimeTest} runs in a JVM of its own, for what the test JVM must not
 * do itself: die by SIGKILL, exit, run with a read-only cgroupfs. Each prints {@code key=value}
 * lines. The first argument names the scenario.
 */
public final class CgroupScenarios {
    /** A leader and a double-forked setsid daemon that has left the group and the session. */
    static final String TREE_WITH_DAEMON =
            "setsid sh -c 'sleep 86396 </dev/null >/dev/null 2>&1 & echo $!'; exec sleep 86395";

    private CgroupScenarios() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "kill-on-parent-death" -> {
                startTree(new GroupProcessBuilder("sh", "-c", TREE_WITH_DAEMON).containment(Containment.CGROUP)
                        .killOnParentDeath(true).killOnJvmExit(false));
                Thread.sleep(Long.MAX_VALUE); // until the test SIGKILLs this JVM
            }
            case "jvm-exit" -> {
                startTree(new GroupProcessBuilder("sh", "-c", TREE_WITH_DAEMON).containment(Containment.CGROUP));
                System.exit(0); // runs the shutdown hooks
            }
            case "auto" -> {
                try (GroupProcess p = new GroupProcessBuilder("sleep", "60").containment(Containment.AUTO).start();
                     GroupProcess q = new GroupProcessBuilder("sleep", "60").containment(Containment.AUTO).start()) {
                    System.out.println("containment=" + p.containment() + "," + q.containment());
                }
                try (GroupProcess p = new GroupProcessBuilder("sleep", "60").containment(Containment.CGROUP).start()) {
                    System.out.println("cgroup=started " + p.containment());
                } catch (Exception e) {
                    System.out.println("cgroup=" + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                System.out.flush();
            }
            case "auto-parent" -> {
                // A configured parent that is no cgroup: AUTO falls back, twice, and says so once.
                for (int i = 0; i < 2; i++) {
                    try (GroupProcess p = new GroupProcessBuilder("sleep", "60").containment(Containment.AUTO)
                            .cgroupParent(Path.of(args[1])).start()) {
                        System.out.println("containment=" + p.containment());
                    }
                }
            }
            case "best-effort" -> {
                GroupProcess p = new GroupProcessBuilder("true").containment(Containment.CGROUP)
                        .limits(Limits.NONE.withMaxMemory(64L << 20).withProcessCpuTime(Duration.ofSeconds(5))
                                .withBestEffort(true)).start();
                p.waitFor();
                System.out.println("ran=" + p.containment());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** What a scenario JVM printed and how it ended. */
    record Run(int exit, String out, String err) {
    }

    /**
     * Runs a scenario in a JVM of its own, behind {@code wrapper} (a command the java command line
     * is appended to, or none), and collects its output; stderr carries the System.Logger lines.
     */
    static Run run(List<String> wrapper, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CgroupScenarios.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("procgroup-scenario", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the scenario JVM did not end: " + out);
            }
            return new Run(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static void startTree(GroupProcessBuilder builder) throws Exception {
        GroupProcess p = builder.start();
        String daemon = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine().strip();
        String relative = CgroupTesting.cgroupOf(p.pid()).orElseThrow();
        System.out.println("leaf=" + CgroupTesting.jvmCgroup().resolve(Path.of(relative).getFileName().toString()));
        System.out.println("leader=" + p.pid());
        System.out.println("daemon=" + daemon);
        System.out.flush();
    }
}
