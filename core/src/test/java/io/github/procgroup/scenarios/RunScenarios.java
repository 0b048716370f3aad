package io.github.procgroup.scenarios;

import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.ProcessResult;
import io.github.procgroup.Subreaper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs in a JVM of its own (see RunJvmTest): what a run does with settings that are process-wide. */
public final class RunScenarios {
    private RunScenarios() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "jvm-exit-during-run" -> {
                // A run in progress when the JVM exits: killOnJvmExit applies as with start().
                CountDownLatch forked = new CountDownLatch(1);
                new GroupProcessBuilder("sh", "-c", "echo pgid=$$; sleep 600 & sleep 600; wait")
                        .killOnJvmExit(Boolean.parseBoolean(args[1]))
                        .onStdoutLine(line -> {
                            System.out.println(line);
                            forked.countDown();
                        })
                        .runAsync(Duration.ofMinutes(10));
                forked.await();
                System.exit(0); // runs the shutdown hooks
            }
            case "subreaper-pipeline" -> {
                // Pipelines under the orphan tracker, which reaps zombie children of this JVM found in
                // a tree: every stage's status is still the run's, and nothing is left. (The exit
                // watcher usually reaps a stage long before a tracker round could; LiveTrees marks the
                // later stages as procgroup's own so that the tracker never takes one.)
                Subreaper.enable();
                int wrong = 0;
                for (int i = 0; i < 5; i++) {
                    ProcessResult r = GroupProcessBuilder.runPipeline(List.of(
                            new GroupProcessBuilder("sleep", "0.3"),
                            new GroupProcessBuilder("sh", "-c", "exit 5"),
                            new GroupProcessBuilder("sh", "-c", "cat; exit 7")), Duration.ofSeconds(30));
                    System.out.println("run=" + i + " " + r.duration().toMillis() + " ms"); // a line per run: the test waits per line
                    if (!r.stageStatuses().toString().equals("[exit 0, exit 5, exit 7]")) {
                        System.out.println("statuses=" + r.stageStatuses());
                        wrong++;
                    }
                }
                System.out.println("wrong=" + wrong);
                System.out.println("children=" + ProcessHandle.current().children().count());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
