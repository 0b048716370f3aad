package io.github.procgroup.internal.linux;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.testing.ChildJvm;
import io.github.procgroup.testing.NoLeftovers;
import io.github.procgroup.testing.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exit watcher leaves native code when it has nothing to watch, so that HotSpot's exit,
 * which waits for threads in native code, does not wait for it: observed in a JVM of its own,
 * through the watcher thread's state (parked in Java is WAITING in {@code LockSupport.park}; in
 * epoll_wait it is RUNNABLE).
 */
@ExtendWith(NoLeftovers.class)
class ExitWatcherIdleTest {

    @Test
    @Timeout(120)
    void theWatcherParksWhenIdleIsWokenByEachRegistrationAndLeavesNativeCodeAtExit() throws Exception {
        long sleeper;
        try (ChildJvm jvm = ChildJvm.start(Scenario.class)) {
            assertEquals("parked", jvm.read("afterFirstChild"), "nothing watched: parked, not in epoll_wait");
            assertEquals("RUNNABLE", jvm.read("watchingFd"), "watchFd woke it into epoll_wait");
            assertEquals("1", jvm.read("fdReady"), "and it reports the fd's event");
            assertEquals("parked", jvm.read("afterUnwatchFd"), "unwatchFd left it idle: parked again");
            sleeper = Long.parseLong(jvm.read("sleeper"));
            assertEquals("RUNNABLE", jvm.read("watchingChild"), "a child's registration woke it");
            assertEquals("parked", jvm.read("atExit"),
                    "at JVM exit, with the child ended by the exit hook, it leaves epoll_wait and parks");
            assertEquals(0, jvm.exitAfter(Duration.ofSeconds(30)));
        }
        ProcFs.await(() -> ProcFs.proc(sleeper).isEmpty(), Duration.ofSeconds(10),
                () -> "the exit hook ended the child: " + ProcFs.proc(sleeper));
    }

    /** Run by the test in a JVM of its own: prints {@code key=value} lines. */
    public static final class Scenario {
        private static final long AWAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

        private Scenario() {
        }

        public static void main(String[] args) throws Exception {
            try (GroupProcess first = new GroupProcessBuilder("true").start()) {
                first.waitFor();
            }
            Thread watcher = ExitWatcher.threadForTests();
            print("afterFirstChild", awaitParked(watcher));

            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
                if (Posix.pipe2(ends, LibC.O_CLOEXEC()) != 0) {
                    throw new IllegalStateException("pipe2 failed");
                }
                int readEnd = ends.getAtIndex(ValueLayout.JAVA_INT, 0);
                int writeEnd = ends.getAtIndex(ValueLayout.JAVA_INT, 1);
                CompletableFuture<Integer> ready = new CompletableFuture<>();
                boolean watched = ExitWatcher.instance().watchFd(readEnd, LibC.EPOLLIN() | LibC.EPOLLET(),
                        new ExitWatcher.OtherFd() {
                            @Override
                            public void ready() {
                                ready.complete(1);
                            }

                            @Override
                            public void watcherBroken() {
                                ready.complete(-1);
                            }
                        });
                if (!watched) {
                    throw new IllegalStateException("watchFd refused a pipe");
                }
                print("watchingFd", awaitState(watcher, Thread.State.RUNNABLE));
                Posix.write(writeEnd, arena.allocateFrom(ValueLayout.JAVA_BYTE, (byte) 'x'));
                print("fdReady", String.valueOf(ready.get(20, TimeUnit.SECONDS)));
                ExitWatcher.instance().unwatchFd(readEnd);
                print("afterUnwatchFd", awaitParked(watcher));
                Posix.close(readEnd);
                Posix.close(writeEnd);
            }

            GroupProcess sleeper = new GroupProcessBuilder("sleep", "60").start(); // the exit hook ends it
            print("sleeper", String.valueOf(sleeper.pid()));
            print("watchingChild", awaitState(watcher, Thread.State.RUNNABLE));
            // Hooks run concurrently: this one waits for procgroup's to have ended the child and
            // for the watcher to have left epoll_wait.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    print("atExit", awaitParked(watcher));
                } catch (InterruptedException e) {
                    print("atExit", "interrupted");
                }
            }));
        }

        /** @return "parked" once the thread is parked in Java, else (after 20 s) its state and top frames */
        private static String awaitParked(Thread thread) throws InterruptedException {
            long start = System.nanoTime();
            while (true) {
                StackTraceElement[] stack = thread.getStackTrace();
                boolean parked = thread.getState() == Thread.State.WAITING && Arrays.stream(stack)
                        .anyMatch(f -> f.getClassName().equals("java.util.concurrent.locks.LockSupport")
                                && f.getMethodName().equals("park"));
                if (parked) {
                    return "parked";
                }
                if (System.nanoTime() - start > AWAIT_NANOS) {
                    return thread.getState() + " " + Arrays.toString(Arrays.copyOf(stack, Math.min(3, stack.length)));
                }
                Thread.sleep(5);
            }
        }

        /** @return {@code state} once the thread is in it, else (after 20 s) the state it is in */
        private static String awaitState(Thread thread, Thread.State state) throws InterruptedException {
            long start = System.nanoTime();
            while (thread.getState() != state && System.nanoTime() - start < AWAIT_NANOS) {
                Thread.sleep(5);
            }
            return thread.getState().name();
        }

        private static void print(String key, String value) {
            System.out.println(key + "=" + value);
            System.out.flush();
        }
    }
}
