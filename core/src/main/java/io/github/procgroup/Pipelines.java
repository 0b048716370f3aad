package io.github.procgroup;

import io.github.procgroup.internal.platform.Platforms;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.SpawnRequest;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@link GroupProcessBuilder#startPipeline} and {@link GroupProcessBuilder#runPipeline}: checks, spawn, run. */
final class Pipelines {
    private Pipelines() {
    }

    /**
     * @param forRun whether the first stage's input is fed by a run (else no stage may have one)
     */
    static List<GroupProcess> start(List<GroupProcessBuilder> builders, boolean forRun) throws IOException {
        List<GroupProcessBuilder> stages = List.copyOf(builders);
        if (stages.isEmpty()) {
            return List.of();
        }
        List<SpawnRequest> requests = new ArrayList<>(stages.size());
        for (int i = 0; i < stages.size(); i++) {
            GroupProcessBuilder b = stages.get(i);
            // The JDK's messages, for the JDK's rules.
            if (i > 0 && b.redirectInput() != Redirect.PIPE) {
                throw new IllegalArgumentException("builder redirectInput() must be PIPE except for the first builder: "
                        + b.redirectInput());
            }
            if (i < stages.size() - 1 && b.redirectOutput() != Redirect.PIPE) {
                throw new IllegalArgumentException("builder redirectOutput() must be PIPE except for the last builder: "
                        + b.redirectOutput());
            }
            if (b.newSession()) {
                // Every stage joins the first one's group, and setpgid cannot cross sessions.
                throw new IllegalArgumentException("a pipeline stage cannot start a new session: " + b.command());
            }
            if (b.hasInput() && (i > 0 || !forRun)) {
                throw new IllegalStateException("input(...) is fed by runPipeline() to the first stage only: "
                        + b.command());
            }
            requests.add(b.toRequest(i == 0 && forRun ? b.runStdin() : b.redirectInput()));
        }
        List<GroupProcess> started = new ArrayList<>(stages.size());
        for (ChildProcess child : Platforms.backend().spawnPipeline(requests)) {
            started.add(new GroupProcess(child));
        }
        return List.copyOf(started);
    }

    static ProcessResult run(List<GroupProcessBuilder> builders, Duration timeout)
            throws IOException, InterruptedException {
        List<GroupProcessBuilder> stages = List.copyOf(builders);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one stage");
        }
        long startNanos = System.nanoTime();
        List<GroupProcess> started = start(stages, true);
        String command = stages.stream().map(GroupProcessBuilder::commandLine).collect(Collectors.joining(" | "));
        List<RunOptions> options = stages.stream().map(GroupProcessBuilder::runOptions).toList();
        return new Run(command, started, options, startNanos).await(timeout);
    }
}
