package io.github.procgroup.internal.linux;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.Signal;
import io.github.procgroup.internal.GroupPlacement;
import io.github.procgroup.internal.SpawnRequest;
import io.github.procgroup.internal.Stdio;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path taken where pidfd_open is missing (Linux before 5.3, glibc before 2.36) or fails
 * (EMFILE): a child without a pidfd is waited for by a thread of its own, reaped exactly once,
 * and its status is still right.
 */
@ExtendWith(NoLeftovers.class)
class PidfdFallbackTest {

    @Test
    void childWithoutPidfdIsReapedByItsOwnWaitingThread() throws Exception {
        LinuxProcess child = spawnWithoutPidfd("read x; exit 7");
        try {
            String waiter = "procgroup-wait-" + child.pid();
            assertTrue(threadNamed(waiter), "a thread waits for this child alone");
            assertTrue(child.signalLeader(Signal.CONT), "signals go by pid without a pidfd");

            child.stdin().close(); // read x fails at end of input: the shell exits 7

            assertEquals(ExitStatus.exited(7), child.exit().get(10, TimeUnit.SECONDS));
            assertTrue(ProcFs.proc(child.pid()).isEmpty(), "reaped, not a zombie");
            ProcFs.await(() -> !threadNamed(waiter), Duration.ofSeconds(5), () -> waiter + " still runs");
            assertTrue(child.resourceUsage().isPresent());
        } finally {
            child.signalGroup(Signal.KILL);
            child.exit().handle((s, e) -> s).get(10, TimeUnit.SECONDS);
        }
    }

    private static LinuxProcess spawnWithoutPidfd(String script) throws Exception {
        List<String> argv = List.of("sh", "-c", script);
        SpawnRequest request = new SpawnRequest(argv, null, null,
                new Stdio(Redirect.PIPE, Redirect.DISCARD, Redirect.INHERIT), GroupPlacement.NEW_GROUP, Set.of(),
                io.github.procgroup.internal.ContainmentRequest.GROUP);
        try (Arena arena = Arena.ofConfined(); ChildStdio stdio = ChildStdio.open(request, arena)) {
            int pid = PosixSpawner.spawn(arena, "/bin/sh", argv, CStrings.environment(arena, Map.of()), stdio,
                    null, GroupPlacement.NEW_GROUP);
            LinuxProcess process = new LinuxProcess(pid, -1, stdio.streams(), null, false, null, null); // as if pidfd_open failed
            ExitWatcher.instance().watch(process);
            return process;
        }
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
    }
}
