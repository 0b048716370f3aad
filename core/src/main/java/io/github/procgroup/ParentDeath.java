package io.github.procgroup;

import io.github.procgroup.internal.NativeAccess;
import io.github.procgroup.internal.linux.Prctl;
import io.github.procgroup.internal.platform.Platforms;

/**
 * For a Java program that runs as somebody's child: asks the kernel to signal this JVM when its
 * parent dies ({@code prctl(PR_SET_PDEATHSIG)}, Linux).
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     ParentDeath.signalMe(Signal.TERM); // first thing: SIGTERM runs the shutdown hooks
 *     ...
 * }
 * }</pre>
 *
 * <p>Caveats, from prctl(2):
 * <ul>
 * <li>The signal is sent when the parent <em>thread</em> that created this process exits, not
 *     when the parent process exits. A JVM parent creates the child from the thread that called
 *     {@code ProcessBuilder.start()}; if that thread ends (a pool thread, a short-lived worker)
 *     the signal comes although the parent process still runs.</li>
 * <li>The setting is per process and not inherited: children of this JVM do not get it. It is
 *     cleared when this process execs a set-user-ID or set-group-ID program or one with file
 *     capabilities; a plain exec keeps it.</li>
 * <li>A parent that died before the call sends nothing: this process was re-parented already.
 *     {@link #signalMe(Signal)} sees a parent that changes during the call;
 *     {@link #signalMe(Signal, long)} also catches one that died before, given the parent's pid.</li>
 * <li>After the parent's death this process is adopted by init or a subreaper; the signal is
 *     sent once and does not repeat for the new parent.</li>
 * </ul>
 * The parent's side, for a parent that is itself a procgroup JVM, is
 * {@link GroupProcessBuilder#killOnParentDeath(boolean)}: it works for any program, not only Java.
 */
public final class ParentDeath {
    private ParentDeath() {
    }

    /**
     * Has the kernel send {@code signal} to this JVM when its parent dies. If the parent dies
     * during this call (this process is re-parented between the two reads of its parent), the
     * signal is sent to this JVM at once, as the parent's death would have. A parent that had died
     * before this call cannot be told from a parent that is init or a subreaper: use
     * {@link #signalMe(Signal, long)} for that race.
     *
     * @param signal the signal to receive, for example {@link Signal#TERM} (runs the JVM's
     *               shutdown hooks) or {@link Signal#KILL}
     * @throws ErrnoException if the kernel refuses (EINVAL)
     * @throws UnsupportedOperationException if this JVM does not run on a supported Linux
     */
    public static void signalMe(Signal signal) throws ErrnoException {
        signalMe(signal, parentPid());
    }

    /**
     * As {@link #signalMe(Signal)}, and if this JVM's parent is not {@code expectedParent} once
     * the setting is in place, the parent has already died (this JVM was adopted by init or a
     * subreaper) and {@code signal} is sent to this JVM at once. The parent passes its pid, for
     * example as an argument or environment variable ({@code ProcessHandle.current().pid()}).
     *
     * @param signal         the signal to receive
     * @param expectedParent the pid of the process that started this JVM
     * @throws ErrnoException if the kernel refuses (EINVAL)
     * @throws UnsupportedOperationException if this JVM does not run on a supported Linux
     */
    public static void signalMe(Signal signal, long expectedParent) throws ErrnoException {
        Platforms.requireLinux("ParentDeath.signalMe");
        NativeAccess.require();
        Prctl.setParentDeathSignal(signal);
        // Read after the setting: a parent that dies from now on sends the signal; one that died
        // before has already made init or a subreaper this process's parent.
        if (parentPid() != expectedParent) {
            Prctl.signalSelf(signal);
        }
    }

    private static long parentPid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
}
