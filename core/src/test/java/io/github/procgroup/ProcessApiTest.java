package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.Backends;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GroupProcess} behaves as {@link Process} documents, with the group on top. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class ProcessApiTest {
    @TempDir
    Path tmp;

    @Test
    void waitForWithTimeoutIsFalseWhileRunningThenTrue() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("cat").start()) {
            assertFalse(p.waitFor(100, TimeUnit.MILLISECONDS));
            assertFalse(p.waitFor(0, TimeUnit.SECONDS));
            assertFalse(p.waitFor(-1, TimeUnit.SECONDS));
            assertTrue(p.isAlive());
            assertThrows(IllegalThreadStateException.class, p::exitValue);
            assertEquals(Optional.empty(), p.exitStatus());
            assertEquals(Optional.empty(), p.resourceUsage());

            p.getOutputStream().close(); // cat exits at end of input

            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertFalse(p.isAlive());
            assertEquals(0, p.exitValue());
            assertEquals(0, p.waitFor());
            assertEquals(Optional.of(ExitStatus.exited(0)), p.exitStatus());
        }
    }

    @Test
    void onExitCompletesWithTheProcessAndRunsDependentsOffTheWatcherThread() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("cat").start()) {
            CompletableFuture<Process> exit = p.onExit();
            CompletableFuture<String> dependentThread = exit.thenApply(x -> Thread.currentThread().getName());
            assertFalse(exit.isDone());

            p.getOutputStream().close();

            assertSame(p, exit.get(10, TimeUnit.SECONDS));
            assertNotEquals("procgroup-exit-watcher", dependentThread.get(10, TimeUnit.SECONDS));
            assertFalse(p.isAlive(), "complete only once reaped");
            assertTrue(ProcFs.proc(p.pid()).isEmpty(), "reaped, not a zombie");
            assertSame(p, p.onExit().get(), "onExit after the exit is already complete");
        }
    }

    @Test
    void toHandleIsTheLeader() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            ProcessHandle handle = p.toHandle();
            assertEquals(p.pid(), handle.pid());
            assertTrue(handle.isAlive());
            assertEquals(ProcFs.self(), handle.parent().orElseThrow().pid());
            assertEquals(p.pid(), p.processGroupId());
            p.destroyForcibly();
            p.waitFor();
            assertFalse(handle.isAlive());
        }
    }

    @Test
    void toHandleStillNamesTheLeaderAfterItWasReaped() throws Exception {
        // The backend takes the handle before the exit watcher may reap the pid (so no loop
        // can provoke a race here); what is observable is the handle after the reap.
        try (GroupProcess p = new GroupProcessBuilder("true").start()) {
            p.waitFor();
            assertTrue(ProcFs.proc(p.pid()).isEmpty(), "reaped");
            assertEquals(p.pid(), p.toHandle().pid());
            assertFalse(p.toHandle().isAlive());
        }
    }

    @Test
    void readersAndWritersFromProcessWork() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "read line; echo \"got $line\"; echo err >&2").start()) {
            try (var writer = p.outputWriter()) {
                writer.write("input\n");
            }
            assertEquals("got input", p.inputReader().readLine());
            assertEquals("err", p.errorReader().readLine());
            assertEquals(0, p.waitFor());
        }
    }

    @Test
    void destroySendsSigtermToEveryMemberOfTheGroup() throws Exception {
        Backends.assumeNative("one TERM to the whole group at once: the fallback signals one process at a time, "
                + "and a dash running a foreground child can miss a trapped TERM sent so");
        Path member = tmp.resolve("member.sh");
        Files.writeString(member, """
                trap 'echo got-term > "$1"; exit 0' TERM
                touch "$2"
                while :; do sleep 0.1; done
                """);
        Path termFile = tmp.resolve("term");
        Path readyFile = tmp.resolve("ready");
        // Output discarded: the member outlives the leader, whose reap closes the pipes (as the JDK's
        // does), and a shell reporting its TERMed sleep on a closed pipe would die of SIGPIPE.
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sh \"$0\" \"$1\" \"$2\" & wait",
                member.toString(), termFile.toString(), readyFile.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (p) {
            ProcFs.await(() -> Files.exists(readyFile), Duration.ofSeconds(10), () -> "member never trapped TERM");
            assertTrue(p.supportsNormalTermination());

            p.destroy();

            assertEquals(Signal.TERM, p.awaitExit().signal().orElseThrow(), "the leader got TERM");
            assertEquals(128 + 15, p.exitValue());
            // The shell makes the file before echo writes into it: the content is what is waited for.
            ProcFs.await(() -> "got-term\n".equals(contentOf(termFile)), Duration.ofSeconds(10),
                    () -> "the member never got TERM: " + contentOf(termFile));
        }
        ProcFs.awaitGroupGone(p.processGroupId(), Duration.ofSeconds(10));
    }

    @Test
    void signalLeaderReachesTheLeaderOnlyAndSignalTheWholeGroup() throws Exception {
        Backends.assumeNative("a process group (counted by pgid; PortableBackendTest covers signalLeader)");
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 60 & wait").start();
        try (p) {
            ProcFs.Proc sleep = ProcFs.awaitLiveMembers(p.pid(), 2, Duration.ofSeconds(10)).stream()
                    .filter(m -> m.pid() != p.pid()).findFirst().orElseThrow();

            assertTrue(p.signalLeader(Signal.TERM));

            assertEquals(Signal.TERM, p.awaitExit().signal().orElseThrow());
            assertFalse(ProcFs.proc(sleep.pid()).orElseThrow().zombie(), "the member did not get it");
            assertFalse(p.signalLeader(Signal.TERM), "the leader is reaped: nothing to signal");

            assertTrue(p.signal(Signal.KILL), "the orphaned member is still in the group");
            ProcFs.await(() -> ProcFs.liveMembers(p.pid()).isEmpty(), Duration.ofSeconds(10),
                    () -> "group " + p.pid() + " still has " + ProcFs.liveMembers(p.pid()));
        }
        ProcFs.awaitGroupGone(p.processGroupId(), Duration.ofSeconds(10));
        assertFalse(p.signal(Signal.TERM), "no member left");
    }

    @Test
    void resourceUsageReportsCpuAndMemoryOfTheReapedLeader() throws Exception {
        Backends.assumeNative("resource usage (the JDK reports none)");
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c",
                "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done");
        try (GroupProcess p = b.start()) {
            assertEquals(0, p.waitFor());
            ResourceUsage usage = p.resourceUsage().orElseThrow();
            assertTrue(usage.userCpu().compareTo(Duration.ZERO) > 0, usage.toString());
            assertTrue(usage.maxRssBytes() > 0, usage.toString());
            assertFalse(usage.systemCpu().isNegative(), usage.toString());
        }
    }

    @Test
    void terminateKillsAGroupThatIgnoresSigterm() throws Exception {
        Backends.assumeNative("a process group (counted by pgid; PortableBackendTest covers terminate)");
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c",
                "trap '' TERM; sleep 60 & echo ready; while :; do sleep 0.1; done");
        GroupProcess p = b.start();
        try (p) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            assertEquals("ready", out.readLine());
            List<ProcFs.Proc> members = ProcFs.awaitLiveMembers(p.pid(), 2, Duration.ofSeconds(10));

            ExitStatus status = p.terminate(Duration.ofMillis(300));

            assertEquals(Signal.KILL, status.signal().orElseThrow());
            assertEquals(137, p.exitValue());
            // SIGKILL is queued at once but acted on when each member next runs: allow for a loaded machine.
            ProcFs.await(() -> ProcFs.liveMembers(p.pid()).isEmpty(), Duration.ofSeconds(5),
                    () -> "members survived SIGKILL: " + ProcFs.liveMembers(p.pid()) + " of " + members);
        }
        ProcFs.awaitGroupGone(p.processGroupId(), Duration.ofSeconds(10));
    }

    @Test
    void terminateWaitsForMembersThatOutliveTheLeaderThenKillsThem() throws Exception {
        // The leader obeys SIGTERM; the member (and its sleeps) ignore it and outlive the leader.
        GroupProcess p = new GroupProcessBuilder("sh", "-c",
                "(trap '' TERM; echo ready; while :; do sleep 0.1; done) & wait").start();
        try (p) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            assertEquals("ready", out.readLine());

            ExitStatus status = p.terminate(Duration.ofMillis(500));

            assertEquals(Signal.TERM, status.signal().orElseThrow(), "the leader's own status");
            ProcFs.await(() -> ProcFs.liveMembers(p.pid()).isEmpty(), Duration.ofSeconds(5),
                    () -> "members survived: " + ProcFs.liveMembers(p.pid()));
        }
        ProcFs.awaitGroupGone(p.processGroupId(), Duration.ofSeconds(10));
    }

    @Test
    void terminateEndsAStoppedGroup() throws Exception {
        Backends.assumeNative("SIGSTOP (only TERM and KILL can be sent)");
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            p.signal(Signal.STOP);
            ProcFs.await(() -> ProcFs.proc(p.pid()).orElseThrow().state() == 'T', Duration.ofSeconds(5),
                    () -> "never stopped: " + ProcFs.proc(p.pid()));
            assertEquals(Signal.TERM, p.terminate(Duration.ofSeconds(30)).signal().orElseThrow());
        }
    }

    @Test
    void terminateReturnsAsSoonAsAnObedientGroupHasExited() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            long start = System.nanoTime();
            ExitStatus status = p.terminate(Duration.ofSeconds(60));
            assertEquals(Signal.TERM, status.signal().orElseThrow());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "did not sit out the grace period");
            assertEquals(status, p.terminate(Duration.ofSeconds(1)), "terminating again is harmless");
        }
    }

    @Test
    void destroyForciblyReturnsThisAndExitValueIs128PlusNine() throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            assertSame(p, p.destroyForcibly());
            assertEquals(137, p.waitFor());
            assertTrue(p.toString().contains("killed by SIGKILL"), p.toString());
        }
    }

    /** @return the file's text, or null while there is none */
    private static String contentOf(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException notYet) {
            return null;
        }
    }
}
