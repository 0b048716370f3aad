package io.github.procgroup.internal.windows;

import io.github.procgroup.internal.Backend;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.SpawnRequest;

import java.io.IOException;

/**
 * Starts each child in a Job Object of its own (see {@link WindowsSpawner}). Compiled and tested
 * on Linux for everything that does not need Windows (layouts, quoting, the environment block,
 * the limits, the order of kernel32 calls); it has not run on Windows yet.
 *
 * <p>{@code killOnParentDeath} needs nothing more here: the job has KILL_ON_JOB_CLOSE, so the tree
 * dies when the JVM (the job's only handle holder) dies, however it dies. {@code newSession} is a
 * POSIX notion and changes nothing: the child always gets a console process group of its own.
 */
public final class WindowsBackend implements Backend {
    private final Kernel32Calls win32 = new Kernel32Calls();
    /** One completion port and thread for every job of this JVM, made with the backend. */
    private final JobPort port = new JobPort(win32, win32).start();

    /** Creates the backend: loads kernel32 and starts the job completion port's thread. */
    public WindowsBackend() {
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws IOException {
        return new WindowsProcess(win32, win32, port, new WindowsSpawner(win32).spawn(request));
    }
}
