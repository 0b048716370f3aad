package io.github.procgroup.cgroup;

import io.github.procgroup.Containment;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;

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
            default -> throw new IllegalArgumentException(args[0]);
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
