package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.Signal;
import io.github.procgroup.bindings.linux.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The process-wide settings behind {@code ParentDeath} and {@code Subreaper}, so that those
 * public classes touch no Linux binding and load on any platform.
 */
public final class Prctl {
    private Prctl() {
    }

    /** prctl(PR_SET_PDEATHSIG): the kernel sends {@code signal} to this JVM when its parent dies. */
    public static void setParentDeathSignal(Signal signal) throws ErrnoException {
        int r = Posix.prctl(LibC.PR_SET_PDEATHSIG(), signal.number());
        if (r < 0) {
            throw Errno.exception("cannot set the parent-death signal to " + signal.signalName(), -r);
        }
    }

    /** Sends {@code signal} to this JVM. */
    public static void signalSelf(Signal signal) {
        Posix.kill((int) SelfPid.PID, signal.number());
    }

    /** prctl(PR_SET_CHILD_SUBREAPER, 1), then starts the orphan tracker. */
    public static void becomeSubreaper() throws ErrnoException {
        int r = Posix.prctl(LibC.PR_SET_CHILD_SUBREAPER(), 1);
        if (r < 0) {
            throw Errno.exception("cannot become a child subreaper (prctl PR_SET_CHILD_SUBREAPER)", -r);
        }
        AdoptedOrphans.start();
    }

    /** @return whether this JVM is a child subreaper, by prctl(PR_GET_CHILD_SUBREAPER) */
    public static boolean isSubreaper() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flag = arena.allocate(ValueLayout.JAVA_INT);
            return Posix.prctl(LibC.PR_GET_CHILD_SUBREAPER(), flag.address()) == 0
                    && flag.get(ValueLayout.JAVA_INT, 0) != 0;
        }
    }
}
