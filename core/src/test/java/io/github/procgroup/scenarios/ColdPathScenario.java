package io.github.procgroup.scenarios;

import io.github.procgroup.Containment;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A fresh JVM's first spawns and tree ends, between two marker classes its class-loading log
 * shows: it spawns and waits for one {@code true}, starts three trees (a shell and two sleeps
 * each, the sleeps started), lists the first with {@code tree()}, ends it with
 * {@code terminate()}, the second with {@code close()}, and the third with
 * {@code destroyForcibly()} and {@code waitFor()}. Prints {@code ended=3} last. With the argument
 * {@code cgroup} every child is started with {@code Containment.CGROUP}.
 */
public final class ColdPathScenario {
    /** Loaded just before the first spawn: the log's lines after it are procgroup's own. */
    public static final class Before {
    }

    /** Loaded just after the last end. */
    public static final class After {
    }

    private ColdPathScenario() {
    }

    public static void main(String[] args) throws Exception {
        Containment containment = args.length > 0 && args[0].equals("cgroup") ? Containment.CGROUP : Containment.GROUP;
        new Before();
        new GroupProcessBuilder("true").containment(containment).start().waitFor();
        GroupProcess[] trees = new GroupProcess[3];
        for (int i = 0; i < trees.length; i++) {
            trees[i] = new GroupProcessBuilder("sh", "-c", "sleep 60 & sleep 60 & echo started; wait")
                    .containment(containment).start();
            if (trees[i].containment() != containment) {
                throw new IllegalStateException("asked for " + containment + ", got " + trees[i].containment());
            }
            BufferedReader out = trees[i].inputReader(StandardCharsets.UTF_8);
            if (!"started".equals(out.readLine())) {
                throw new IllegalStateException("tree " + i + " did not start");
            }
        }
        trees[0].tree();
        trees[0].terminate(Duration.ofSeconds(5));
        trees[1].close();
        trees[2].destroyForcibly();
        trees[2].waitFor();
        new After();
        trees[2].close(); // its sleeps, which destroyForcibly's SIGKILL to the group reached, are awaited
        System.out.println("ended=3");
    }
}
