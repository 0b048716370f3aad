package io.github.procgroup.internal.linux;

/**
 * This JVM's pid, in a class of its own so that only code that needs it pays for it: the JDK's
 * {@code ProcessHandle.current()} initialises its process-handle machinery (a reaper thread pool
 * among it), which a spawn does not use.
 */
final class SelfPid {
    static final long PID = ProcessHandle.current().pid();

    private SelfPid() {
    }
}
