package io.github.procgroup.internal.linux;

/**
 * This JVM's pid, from getpid(2). Not the JDK's {@code ProcessHandle.current()}: its first use
 * initialises the JDK's process-handle machinery (a reaper thread pool and a dozen classes with
 * it), a few milliseconds of the first listing in a fresh JVM, which procgroup does not use.
 */
public final class SelfPid {
    /** This JVM's pid, in its own pid namespace. */
    public static final long PID = Posix.getpid();

    private SelfPid() {
    }
}
