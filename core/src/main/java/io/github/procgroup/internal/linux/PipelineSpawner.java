package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.GroupPlacement;
import io.github.procgroup.internal.SpawnRequest;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a pipeline as one process group: the first stage leads a new group, every later stage
 * joins it ({@code posix_spawnattr_setpgroup(leader)}), and each junction is a {@code pipe2} pair
 * whose write end only the stage before and whose read end only the stage after holds (the
 * parent closes its copies once both are spawned), so the data never passes through the JVM.
 *
 * <p>No stage is handed to the exit watcher before the last one has joined: a group exists only
 * while a process (a zombie too) is in it, and a leader that exited at once and was reaped could
 * take the group with it, so the next stage's setpgid would fail with EPERM.
 */
final class PipelineSpawner {
    private PipelineSpawner() {
    }

    static List<ChildProcess> spawn(List<SpawnRequest> stages) throws IOException {
        List<LinuxProcess> started = new ArrayList<>(stages.size());
        int pendingRead = ChildStdio.INHERIT; // the read end of the pipe from the last stage started
        try (Arena arena = Arena.ofConfined()) {
            String treeToken = AdoptedOrphans.running() ? AdoptedOrphans.newToken() : null;
            for (int i = 0; i < stages.size(); i++) {
                int stdin = pendingRead;
                pendingRead = ChildStdio.INHERIT; // owned by spawnUnwatched from here on
                int stdout = ChildStdio.INHERIT;
                if (i < stages.size() - 1) {
                    int[] pipe;
                    try {
                        pipe = pipe(arena);
                    } catch (IOException e) {
                        if (stdin != ChildStdio.INHERIT) {
                            Posix.close(stdin);
                        }
                        throw e;
                    }
                    pendingRead = pipe[0];
                    stdout = pipe[1];
                }
                GroupPlacement placement = i == 0 ? GroupPlacement.NEW_GROUP : new GroupPlacement.JoinGroup(started.get(0).pid());
                started.add(LinuxBackend.spawnUnwatched(stages.get(i), placement, stdin, stdout, treeToken));
            }
        } catch (IOException | RuntimeException e) {
            if (pendingRead != ChildStdio.INHERIT) {
                Posix.close(pendingRead);
            }
            killAndReap(started);
            throw e;
        }
        return watch(started);
    }

    private static int[] pipe(Arena arena) throws IOException {
        MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
        int r = Posix.pipe2(ends, LibC.O_CLOEXEC());
        if (r < 0) {
            throw Errno.exception("cannot create a pipe between pipeline stages", -r);
        }
        return new int[] {ends.getAtIndex(ValueLayout.JAVA_INT, 0), ends.getAtIndex(ValueLayout.JAVA_INT, 1)};
    }

    private static List<ChildProcess> watch(List<LinuxProcess> started) {
        LinuxProcess leader = started.get(0);
        List<ChildProcess> stages = new ArrayList<>(started.size());
        stages.add(leader);
        for (LinuxProcess stage : started.subList(1, started.size())) {
            LiveTrees.addJoinedStage(stage.pid()); // before its reap: the orphan tracker must leave it alone
            stage.exit().whenComplete((status, failure) -> LiveTrees.removeJoinedStage(stage.pid()));
            leader.addLaterStage(stage); // part of the leader's tree wherever its group is
            stages.add(new JoinedStage(stage, leader));
        }
        LinuxBackend.watch(leader);
        for (LinuxProcess stage : started.subList(1, started.size())) {
            ExitWatcher.instance().watch(stage);
        }
        return stages;
    }

    /**
     * Undoes a pipeline that could not be started in full: nothing may be left behind. Nothing
     * is reaped yet, so the group id is still the leader's (and its sentinel's, which the exit
     * watcher reaps); the stages are handed to the watcher and waited for.
     */
    private static void killAndReap(List<LinuxProcess> started) {
        if (started.isEmpty()) {
            return;
        }
        Posix.killpg((int) started.get(0).pid(), LibC.SIGKILL());
        watch(started);
        boolean interrupted = false;
        for (LinuxProcess stage : started) {
            closeQuietly(stage.stdin());
            closeQuietly(stage.stdout());
            closeQuietly(stage.stderr());
            while (true) {
                try {
                    stage.exit().get(10, TimeUnit.SECONDS); // SIGKILLed: a moment, unless stuck in the kernel
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    break; // reported by the exit watcher, or stuck in state D: nothing more to do here
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable stream) {
        try {
            stream.close();
        } catch (Exception ignored) {
            // Our end of a pipe to a killed child: nothing to report.
        }
    }
}
