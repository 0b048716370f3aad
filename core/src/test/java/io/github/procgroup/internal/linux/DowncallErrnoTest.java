package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every downcall is linked at its first use (see {@link Downcalls}); a call that fails reports its
 * own errno, also when it is the first call of its shape in the JVM. Run in a fresh JVM, where each
 * call below is the first of its function, and most the first of their shape.
 */
@ExtendWith(NoLeftovers.class)
class DowncallErrnoTest {

    @Test
    @Timeout(90)
    void eachFirstCallThatFailsNamesItsErrno() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("close", "EBADF");
        expected.put("kill", "ESRCH");
        expected.put("killpg", "ESRCH");
        expected.put("getpgid", "ESRCH");
        expected.put("pipe2", "EINVAL");
        expected.put("open", "ENOENT");
        expected.put("wait4", "ECHILD");
        expected.put("waitid", "ECHILD");
        expected.put("epoll_create1", "EINVAL");
        expected.put("epoll_ctl", "EBADF");
        expected.put("epoll_wait", "EBADF");
        expected.put("pidfd_open", "EINVAL");
        expected.put("pidfd_send_signal", "EBADF");
        expected.put("read", "EBADF");
        expected.put("write", "EBADF");
        expected.put("poll", "EINVAL");
        expected.put("isatty", "EBADF");
        expected.put("tcgetpgrp", "EBADF");
        expected.put("tcsetpgrp", "EBADF");
        expected.put("prctl", "EINVAL");
        expected.put("posix_spawn_file_actions_adddup2", "EBADF");
        expected.put("posix_spawn", "ENOENT");
        expected.put("exception", "cannot close fd -1: EBADF (Bad file descriptor)");
        try (ChildJvm jvm = ChildJvm.start(Scenario.class)) {
            for (Map.Entry<String, String> call : expected.entrySet()) {
                assertEquals(call.getValue(), jvm.read(call.getKey()), call.getKey());
            }
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(30)));
        }
    }

    /** Run by the test in a JVM of its own: one failing call of each function, {@code function=ERRNO}. */
    public static final class Scenario {
        private static final int NO_SUCH_PID = Integer.MAX_VALUE; // above every pid_max
        private static final int INIT = 1; // never this JVM's child

        private Scenario() {
        }

        public static void main(String[] args) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ints = arena.allocate(ValueLayout.JAVA_INT, 64);
                MemorySegment buffer = arena.allocate(16);
                print("close", Posix.close(-1));
                print("kill", Posix.kill(NO_SUCH_PID, 0));
                print("killpg", Posix.killpg(NO_SUCH_PID, 0));
                print("getpgid", Posix.getpgid(NO_SUCH_PID));
                print("pipe2", Posix.pipe2(ints, -1)); // no such flags
                print("open", Posix.open(arena.allocateFrom("/nonexistent/procgroup"), LibC.O_RDONLY(), 0));
                print("wait4", Posix.wait4(INIT, ints, LibC.WNOHANG(), MemorySegment.NULL));
                print("waitid", Posix.waitid(LibC.P_PID(), INIT, arena.allocate(128), LibC.WEXITED() | LibC.WNOHANG()));
                print("epoll_create1", Posix.epollCreate1(-1));
                print("epoll_ctl", Posix.epollCtl(-1, LibC.EPOLL_CTL_ADD(), -1, buffer));
                print("epoll_wait", Posix.epollWait(-1, buffer, 1, 0));
                print("pidfd_open", Posix.pidfdOpen(-1, 0));
                print("pidfd_send_signal", Posix.pidfdSendSignal(-1, 0));
                print("read", (int) Posix.read(-1, buffer));
                print("write", (int) Posix.write(-1, buffer));
                print("poll", Posix.poll(ints, -1L, 0)); // more fds than RLIMIT_NOFILE
                print("isatty", Posix.isatty(-1));
                print("tcgetpgrp", Posix.tcgetpgrp(-1));
                print("tcsetpgrp", Posix.tcsetpgrp(-1, 1));
                print("prctl", Posix.prctl(-1, 0));
                // The posix_spawn helpers return their error rather than setting errno.
                MemorySegment actions = arena.allocate(io.github.procgroup.bindings.linux.posix_spawn_file_actions_t.layout());
                SpawnCalls.fileActionsInit(actions);
                printError("posix_spawn_file_actions_adddup2", SpawnCalls.addDup2(actions, -1, 0));
                MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, 2);
                argv.setAtIndex(ValueLayout.ADDRESS, 0, arena.allocateFrom("/nonexistent/procgroup"));
                printError("posix_spawn", SpawnCalls.spawn(ints, arena.allocateFrom("/nonexistent/procgroup"), actions,
                        MemorySegment.NULL, argv, argv.asSlice(ValueLayout.ADDRESS.byteSize())));
                SpawnCalls.fileActionsDestroy(actions);
                ErrnoException e = Errno.exception("cannot close fd -1", -Posix.close(-1));
                System.out.println("exception=" + e.getMessage());
            }
        }

        /** A call that returned -errno. */
        private static void print(String function, int result) {
            System.out.println(function + "=" + (result < 0 ? Errno.name(-result) : "succeeded with " + result));
        }

        /** A call that returned an error number. */
        private static void printError(String function, int error) {
            System.out.println(function + "=" + (error > 0 ? Errno.name(error) : "succeeded"));
        }
    }
}
