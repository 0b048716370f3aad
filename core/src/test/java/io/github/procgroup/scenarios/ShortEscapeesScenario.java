package io.github.procgroup.scenarios;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.Subreaper;
import io.github.procgroup.testing.ProcFs;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A subreaper JVM whose tree leaves 20 escapees that exit at once (fork, setsid, exit: each is
 * re-parented to this JVM and most die before the orphan tracker's first look), and the
 * README's double-fork daemon, whose middle process exits at once. Prints how many zombie
 * children are left once the tree is closed, and a ProcessBuilder child's exit status.
 */
public final class ShortEscapeesScenario {
    static final String TREE = "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do (setsid true &); done; "
            + "sh -c 'setsid sh -c \"sleep 0.05\" &' & echo ready=1; exec sleep 600";

    private ShortEscapeesScenario() {
    }

    public static void main(String[] args) throws Exception {
        Subreaper.enable();
        GroupProcess p = new GroupProcessBuilder("sh", "-c", TREE).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = p.inputReader(StandardCharsets.UTF_8);
        if (!"ready=1".equals(out.readLine())) {
            throw new IllegalStateException("the tree did not start");
        }
        Thread.sleep(500); // every escapee has exited by now
        p.close();
        long deadline = System.nanoTime() + 5_000_000_000L; // the tracker looks every 100 ms
        while (!zombieChildren().isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        System.out.println("zombies=" + zombieChildren());
        Process jdkChild = new ProcessBuilder("sh", "-c", "exit 7").start();
        System.out.println("jdkExit=" + jdkChild.waitFor());
        System.out.println("children=" + ProcessHandle.current().children().count());
    }

    private static List<Long> zombieChildren() {
        return ProcFs.childrenOfThisJvm().stream().filter(ProcFs.Proc::zombie).map(ProcFs.Proc::pid).toList();
    }
}
