package io.github.procgroup;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.github.procgroup.testing.Backends;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(value = OS.LINUX, disabledReason = "runs POSIX programs and checks them in /proc (Linux)")
@ExtendWith(NoLeftovers.class)
class GroupLifecycleTest {

    @Test
    void childLeadsANewProcessGroup() throws Exception {
        Backends.assumeNative("a process group of its own");
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").start()) {
            ProcFs.Proc child = ProcFs.proc(p.pid()).orElseThrow();
            ProcFs.Proc jvm = ProcFs.proc(ProcFs.self()).orElseThrow();
            assertEquals(p.pid(), child.pgid(), "the child leads its group");
            assertEquals(p.pid(), p.processGroupId());
            assertNotEquals(jvm.pgid(), child.pgid(), "not the JVM's group");
            assertEquals(jvm.sid(), child.sid(), "still in the JVM's session");
            assertEquals(ProcFs.self(), child.ppid());
        }
    }

    @Test
    void newSessionMakesTheChildASessionLeader() throws Exception {
        Backends.assumeNative("newSession");
        try (GroupProcess p = new GroupProcessBuilder("sleep", "60").newSession(true).start()) {
            ProcFs.Proc child = ProcFs.proc(p.pid()).orElseThrow();
            assertEquals(p.pid(), child.sid());
            assertEquals(p.pid(), child.pgid());
        }
    }

    @Test
    void groupKillEndsEveryMemberAndReapsTheLeader() throws Exception {
        Backends.assumeNative("a process group (the tree is counted by pgid; PortableBackendTest counts descendants)");
        GroupProcess p = new GroupProcessBuilder("sh", "-c", "sleep 60 & sleep 60 & wait").start();
        List<ProcFs.Proc> members = ProcFs.awaitLiveMembers(p.pid(), 3, Duration.ofSeconds(10));
        assertEquals(3, members.size(), "sh and two sleeps: " + members);

        assertTrue(p.destroyForcibly() == p);
        ExitStatus status = p.awaitExit();

        assertEquals(Signal.KILL, status.signal().orElseThrow());
        assertEquals(137, p.exitValue());
        assertTrue(ProcFs.proc(p.pid()).isEmpty(), "the leader is reaped, not a zombie");
        // kill() returns once SIGKILL is queued; each member dies when it next runs (state R until then).
        ProcFs.await(() -> ProcFs.liveMembers(p.pid()).isEmpty(), Duration.ofSeconds(5),
                () -> "members still run: " + ProcFs.liveMembers(p.pid()));
        for (ProcFs.Proc m : members) {
            assertTrue(ProcFs.proc(m.pid()).map(ProcFs.Proc::zombie).orElse(true), m + " is dead");
        }
        ProcFs.awaitGroupGone(p.pid(), Duration.ofSeconds(10)); // orphaned sleeps: init reaps them
        assertFalse(p.isAlive());
        p.close();
    }

    @Test
    void closeKillsAndReaps() throws Exception {
        GroupProcess p;
        try (GroupProcess q = new GroupProcessBuilder("sleep", "60").start()) {
            p = q;
            assertTrue(q.isAlive());
        }
        assertFalse(p.isAlive());
        assertTrue(ProcFs.proc(p.pid()).isEmpty(), "reaped by close()");
    }
}
