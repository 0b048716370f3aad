package io.github.procgroup.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * The floor of procgroup's cold start: one spawn + wait of {@code /bin/true} with bare FFM, making
 * the system calls procgroup's first spawn makes, through the same downcall shape (one for every
 * call, capturing errno, linked once), with no library code around them: three O_CLOEXEC pipes,
 * posix_spawn with dup2/closefrom file actions and a new process group, pidfd_open, one epoll
 * instance (made once per JVM) and one epoll_wait, wait4, a poll of each output pipe at the reap (a read only if it
 * holds data: /bin/true writes nothing) and the closes. What a fresh JVM spends beyond this in procgroup's first {@code start()} is the
 * library's own start-up work. {@link #start} and {@link #finish} split it where procgroup's
 * {@code start()} returns, for {@link StartBenchmark}. x86_64 and aarch64 Linux, glibc 2.36+ (pidfd_open).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar io.github.procgroup.benchmarks.FfmFloor
 * </pre>
 */
public final class FfmFloor {
    private static final int O_CLOEXEC = 0x80000;
    private static final int EPOLL_CLOEXEC = O_CLOEXEC;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final long FILE_ACTIONS_SIZE = 80; // posix_spawn_file_actions_t on LP64 glibc
    private static final long ATTR_SIZE = 336; // posix_spawnattr_t on LP64 glibc
    private static final long SIGSET_SIZE = 128;
    private static final long EPOLL_EVENT_SIZE = 16; // room for x86_64's packed 12 bytes and aarch64's 16
    private static final long POLLFD_SIZE = 8;
    private static final short POLLIN = 1;

    private FfmFloor() {
    }

    /** Runs one spawn + wait and prints its time. */
    public static void main(String[] args) throws Throwable {
        long start = System.nanoTime();
        int code = trueOnce();
        System.out.printf("FFM floor: first spawn+wait %.1f ms, exit %d%n", (System.nanoTime() - start) / 1e6, code);
    }

    /**
     * The downcalls, linked once per JVM when first used (as procgroup links its shape once), and
     * the epoll instance, made once (as procgroup's exit watcher is): a fresh JVM's first spawn pays
     * for both, a steady-state loop ({@code SpawnBenchmark.ffmFloor}) for neither.
     */
    private static final class Calls {
        static final Linker LINKER = Linker.nativeLinker();
        static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
        // As procgroup's: one shape for every call, six arguments and the result C longs (pointers
        // as their addresses, ints widened, zeros for the arguments a function does not take; an
        // int result is the low half), capturing errno.
        static final MethodHandle C = link(6);
        static final int EPOLL;

        static {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment st = arena.allocate(Linker.Option.captureStateLayout());
                EPOLL = (int) (long) C.invokeExact(sym("epoll_create1"), st, (long) EPOLL_CLOEXEC, 0L, 0L, 0L, 0L, 0L);
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
        }

        private Calls() {
        }

        private static MethodHandle link(int arity) {
            ValueLayout[] arguments = new ValueLayout[arity];
            Arrays.fill(arguments, ValueLayout.JAVA_LONG);
            return LINKER.downcallHandle(FunctionDescriptor.of(ValueLayout.JAVA_LONG, arguments), ERRNO);
        }
    }

    /** @return the exit code of /bin/true, spawned and reaped with bare FFM calls */
    static int trueOnce() throws Throwable {
        return finish(start());
    }

    /**
     * A child {@link #start} made, for {@link #finish}: its arena (confined to the thread that
     * started it), the errno capture segment allocated in it, pid, pidfd and the parent's ends of
     * its three pipes.
     */
    record Started(Arena arena, MemorySegment callState, int pid, int pidfd, int[] parent) {
    }

    /**
     * What procgroup's {@code start()} does for /bin/true, bare: the pipes, posix_spawn, the child's
     * ends closed, its pidfd opened and added to the epoll instance.
     *
     * @return the child, to be given to {@link #finish} on the same thread
     */
    static Started start() throws Throwable {
        Arena arena = Arena.ofConfined();
        try {
            MemorySegment st = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 6);
            for (int k = 0; k < 3; k++) {
                check((int) (long) Calls.C.invokeExact(sym("pipe2"), st, fds.address() + k * 8L, (long) O_CLOEXEC, 0L, 0L, 0L, 0L), "pipe2");
            }
            // Child ends: stdin's read end, stdout's and stderr's write ends.
            int[] child = {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 3),
                    fds.getAtIndex(ValueLayout.JAVA_INT, 5)};
            int[] parent = {fds.getAtIndex(ValueLayout.JAVA_INT, 1), fds.getAtIndex(ValueLayout.JAVA_INT, 2),
                    fds.getAtIndex(ValueLayout.JAVA_INT, 4)};
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 8);
            check((int) (long) Calls.C.invokeExact(sym("posix_spawn_file_actions_init"), st, actions.address(), 0L, 0L, 0L, 0L, 0L), "file_actions_init");
            for (int fd = 0; fd < 3; fd++) {
                check((int) (long) Calls.C.invokeExact(sym("posix_spawn_file_actions_adddup2"), st, actions.address(),
                        (long) child[fd], (long) fd, 0L, 0L, 0L),
                        "adddup2");
            }
            check((int) (long) Calls.C.invokeExact(sym("posix_spawn_file_actions_addclosefrom_np"), st, actions.address(), 3L, 0L, 0L, 0L, 0L), "closefrom");
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            check((int) (long) Calls.C.invokeExact(sym("posix_spawnattr_init"), st, attr.address(), 0L, 0L, 0L, 0L, 0L), "attr_init");
            MemorySegment all = arena.allocate(SIGSET_SIZE, 8).fill((byte) 0xff);
            check((int) (long) Calls.C.invokeExact(sym("posix_spawnattr_setsigdefault"), st, attr.address(), all.address(), 0L, 0L, 0L, 0L), "setsigdefault");
            MemorySegment none = arena.allocate(SIGSET_SIZE, 8);
            check((int) (long) Calls.C.invokeExact(sym("sigemptyset"), st, none.address(), 0L, 0L, 0L, 0L, 0L), "sigemptyset");
            check((int) (long) Calls.C.invokeExact(sym("posix_spawnattr_setsigmask"), st, attr.address(), none.address(), 0L, 0L, 0L, 0L), "setsigmask");
            check((int) (long) Calls.C.invokeExact(sym("posix_spawnattr_setpgroup"), st, attr.address(), 0L, 0L, 0L, 0L, 0L), "setpgroup");
            short flags = (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
            check((int) (long) Calls.C.invokeExact(sym("posix_spawnattr_setflags"), st, attr.address(), (long) flags, 0L, 0L, 0L, 0L), "setflags");
            MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, 2);
            argv.setAtIndex(ValueLayout.ADDRESS, 0, arena.allocateFrom("/bin/true"));
            MemorySegment environ = sym("environ").reinterpret(8).get(ValueLayout.ADDRESS, 0);
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            check((int) (long) Calls.C.invokeExact(sym("posix_spawn"), st, pid.address(),
                    arena.allocateFrom("/bin/true").address(), actions.address(), attr.address(), argv.address(),
                    environ.address()), "posix_spawn");
            check((int) (long) Calls.C.invokeExact(sym("posix_spawn_file_actions_destroy"), st, actions.address(), 0L, 0L, 0L, 0L, 0L), "file_actions_destroy");
            for (int fd : child) {
                check((int) (long) Calls.C.invokeExact(sym("close"), st, (long) fd, 0L, 0L, 0L, 0L, 0L), "close");
            }
            int childPid = pid.get(ValueLayout.JAVA_INT, 0);
            int pidfd = (int) (long) Calls.C.invokeExact(sym("pidfd_open"), st, (long) childPid, 0L, 0L, 0L, 0L, 0L);
            MemorySegment event = arena.allocate(EPOLL_EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, 4, pidfd); // data.fd: offset 4 (x86_64, packed)
            event.set(ValueLayout.JAVA_INT_UNALIGNED, 8, pidfd); // data.fd: offset 8 (aarch64)
            check((int) (long) Calls.C.invokeExact(sym("epoll_ctl"), st, (long) Calls.EPOLL, (long) EPOLL_CTL_ADD,
                    (long) pidfd, event.address(), 0L, 0L), "epoll_ctl");
            return new Started(arena, st, childPid, pidfd, parent);
        } catch (Throwable t) {
            arena.close();
            throw t;
        }
    }

    /**
     * What procgroup's {@code waitFor()} and the streams' closes do, bare: epoll_wait, wait4, a
     * poll of each output pipe (a read only if it holds data) and the closes.
     *
     * @return the child's exit code
     */
    static int finish(Started child) throws Throwable {
        try (Arena arena = child.arena()) {
            MemorySegment st = child.callState();
            int childPid = child.pid();
            int pidfd = child.pidfd();
            int[] parent = child.parent();
            MemorySegment events = arena.allocate(EPOLL_EVENT_SIZE * 4, 8);
            while ((int) (long) Calls.C.invokeExact(sym("epoll_wait"), st, (long) Calls.EPOLL, events.address(), 4L, -1L, 0L, 0L) < 1) {
                // EINTR: wait again
            }
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment usage = arena.allocate(MemoryLayout.paddingLayout(144).withByteAlignment(8));
            check((int) (long) Calls.C.invokeExact(sym("wait4"), st, (long) childPid, status.address(), 1L, usage.address(), 0L, 0L) == childPid ? 0 : 1, "wait4");
            MemorySegment poll = arena.allocate(POLLFD_SIZE, 8);
            MemorySegment buffer = arena.allocate(8192);
            for (int k = 1; k < 3; k++) { // the drain of stdout and stderr at the reap
                poll.set(ValueLayout.JAVA_INT, 0, parent[k]);
                poll.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
                if ((int) (long) Calls.C.invokeExact(sym("poll"), st, poll.address(), 1L, 0L, 0L, 0L, 0L) > 0
                        && (poll.get(ValueLayout.JAVA_SHORT, 6) & POLLIN) != 0) { // not POLLHUP alone: data
                    long n = (long) Calls.C.invokeExact(sym("read"), st, (long) parent[k], buffer.address(), buffer.byteSize(), 0L, 0L, 0L);
                }
            }
            for (int fd : parent) {
                check((int) (long) Calls.C.invokeExact(sym("close"), st, (long) fd, 0L, 0L, 0L, 0L, 0L), "close");
            }
            check((int) (long) Calls.C.invokeExact(sym("close"), st, (long) pidfd, 0L, 0L, 0L, 0L, 0L), "close"); // which also ends its epoll registration
            int raw = status.get(ValueLayout.JAVA_INT, 0);
            return (raw >> 8) & 0xff;
        }
    }

    private static MemorySegment sym(String name) {
        return Linker.nativeLinker().defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("no " + name));
    }

    private static void check(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + " failed: " + result);
        }
    }
}
