package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;

import java.util.Optional;

/**
 * Signals one process named by its pid and start time, and no other: the pid is opened as a
 * pidfd first, then /proc/PID/stat is read again and must show the same start time, then the
 * signal goes through the pidfd.
 *
 * <p>Why no other process can receive it: the pidfd refers to the process that had the pid
 * when it was opened, for ever. If the signal is delivered, that process was not yet reaped
 * when it was sent, so it still held the pid when its stat was read a moment before: the stat
 * described that process, and its start time proved it is the one listed. If it was reaped
 * in between, the signal fails with ESRCH and reaches nobody. (Two processes with one pid and
 * one start tick, 10 ms, would need the pid to be reused within that tick.)
 *
 * <p>Without pidfds (Linux before 5.3, glibc before 2.36) the start time is checked and then
 * kill(2) sent: a pid reused in the microseconds between the two could be hit. That is the
 * one window left on such systems, and it is written down as such.
 */
final class PidSignals {
    private PidSignals() {
    }

    /**
     * @param process the process as listed
     * @param signal  the signal number
     * @return 0, -ESRCH if that process is gone (its pid may name another one now), or another -errno
     */
    static int send(ProcTable.Stat process, int signal) {
        int pid = (int) process.pid();
        int pidfd = Posix.pidfdOpen(pid, 0);
        if (pidfd == -LibC.EMFILE() || pidfd == -LibC.ENFILE()) {
            return FdReserve.withSpareFds(() -> sendOnce(process, signal, Posix.pidfdOpen(pid, 0)));
        }
        return sendOnce(process, signal, pidfd);
    }

    private static int sendOnce(ProcTable.Stat process, int signal, int pidfd) {
        if (pidfd == -LibC.ESRCH()) {
            return -LibC.ESRCH();
        }
        if (pidfd < 0 && pidfd != -LibC.ENOSYS()) {
            return pidfd; // EMFILE even with the spares released, EPERM...
        }
        try {
            if (!sameProcess(process)) {
                return -LibC.ESRCH();
            }
            return pidfd >= 0 ? Posix.pidfdSendSignal(pidfd, signal) : Posix.kill((int) process.pid(), signal);
        } finally {
            if (pidfd >= 0) {
                Posix.close(pidfd);
            }
        }
    }

    /** @return whether the pid still names the process listed (same start time) */
    static boolean sameProcess(ProcTable.Stat process) {
        Optional<ProcTable.Stat> now = ProcTable.stat(process.pid());
        return now.isPresent() && now.get().startTime() == process.startTime();
    }
}
