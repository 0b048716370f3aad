package io.github.procgroup.cli;

import io.github.procgroup.Signal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Signals one child started with {@link ProcessBuilder} (the {@code --foreground} command) without
 * ever reaching a process that reused its pid: the JDK reaps that child on its own thread, so a
 * plain {@code kill(pid)} after the reap could hit a stranger. A pidfd opened while the child is
 * still unreaped (checked after the open, with {@link Process#isAlive()}) names only the child, and
 * {@code pidfd_send_signal} through it reaches the child or nobody (ESRCH once it has exited).
 * {@code pidfd_open} and {@code pidfd_send_signal} are Linux 5.3+ and have the same number on every
 * architecture (they came after the syscall tables were unified).
 */
final class PidfdSignals {
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final MethodHandle SYSCALL;
    private static final MethodHandle CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        SYSCALL = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.firstVariadicArg(1));
        CLOSE = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private PidfdSignals() {
    }

    /**
     * @param child  the child, started by the JDK
     * @param signal what to send
     * @return whether the signal was sent; false once the child has exited, or where the kernel has
     *         no pidfds (then only SIGTERM and SIGKILL reach it, through the JDK)
     */
    static boolean send(Process child, Signal signal) {
        if (signal == Signal.TERM || signal == Signal.KILL) { // the JDK's own calls are safe against reuse
            boolean alive = child.isAlive();
            if (signal == Signal.TERM) {
                child.destroy();
            } else {
                child.destroyForcibly();
            }
            return alive;
        }
        try {
            int pidfd = (int) (long) SYSCALL.invokeExact(SYS_PIDFD_OPEN, child.pid(), 0L, 0L, 0L);
            if (pidfd < 0) {
                return false; // ESRCH: gone; ENOSYS: a kernel before 5.3
            }
            try {
                // Opened before this check: if the JDK has not reaped the child yet, the pidfd is the child's.
                return child.isAlive()
                        && (long) SYSCALL.invokeExact(SYS_PIDFD_SEND_SIGNAL, (long) pidfd, (long) signal.number(), 0L, 0L) == 0;
            } finally {
                int ignored = (int) CLOSE.invokeExact(pidfd);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("cannot send " + signal.signalName() + " to pid " + child.pid(), t);
        }
    }
}
