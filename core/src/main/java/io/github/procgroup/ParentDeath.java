package io.github.procgroup;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.Errno;
import io.github.procgroup.internal.linux.Posix;

/**
 * For a Java program that runs as somebody's child: asks the kernel to signal this JVM when its
 * parent dies ({@code prctl(PR_SET_PDEATHSIG)}, Linux).
 *
 * <p>Caveats, from prctl(2): the signal is sent when the parent <em>thread</em> that created this
 * process exits, not when the parent process exits; a parent that starts children from
 * short-lived threads (a JVM using {@code ProcessBuilder} from a thread pool may) ends the
 * arrangement early. The setting is cleared when this process execs a set-user-ID program and is
 * not inherited by children. Combine it with the parent's own mechanism
 * ({@link GroupProcessBuilder#killOnParentDeath(boolean)} when the parent is a procgroup JVM).
 */
public final class ParentDeath {
    private ParentDeath() {
    }

    /**
     * Has the kernel send {@code signal} to this JVM when its parent dies. If the parent has
     * already died when this is called (this process was re-parented before the call), the
     * signal is sent to this JVM at once, as the parent's death would have.
     *
     * @param signal the signal to receive, for example {@link Signal#TERM} (runs the JVM's
     *               shutdown hooks) or {@link Signal#KILL}
     * @throws ErrnoException if the kernel refuses (EINVAL)
     */
    public static void signalMe(Signal signal) throws ErrnoException {
        long parentBefore = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        int r = Posix.prctl(LibC.PR_SET_PDEATHSIG(), signal.number());
        if (r < 0) {
            throw Errno.exception("cannot set the parent-death signal to " + signal.signalName(), -r);
        }
        long parentAfter = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        // The parent may die between the two calls, or may have died before: then this process
        // already has its new parent (init, pid 1, or a subreaper), and no death signal will come.
        if (parentAfter != parentBefore || parentAfter == 1) {
            Posix.kill((int) ProcessHandle.current().pid(), signal.number());
        }
    }
}
