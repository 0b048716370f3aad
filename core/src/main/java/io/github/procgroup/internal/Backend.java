package io.github.procgroup.internal;

import io.github.procgroup.internal.linux.LinuxBackend;
import io.github.procgroup.internal.windows.WindowsBackend;

import java.io.IOException;

/** Starts children on one operating system. */
public interface Backend {

    /**
     * Starts one child as the leader of a new process group (or job).
     *
     * @param request what to start
     * @return the running child
     * @throws IOException if it could not be started; nothing is left behind then
     */
    ChildProcess spawn(SpawnRequest request) throws IOException;

    /** @return the backend for the operating system this JVM runs on */
    static Backend current() {
        return Holder.CURRENT;
    }

    /** Lazy holder, so that merely loading this interface touches no native code. */
    final class Holder {
        private static final Backend CURRENT = select(System.getProperty("os.name", ""));

        private Holder() {
        }

        private static Backend select(String osName) {
            if (osName.startsWith("Linux")) {
                return new LinuxBackend();
            }
            if (osName.startsWith("Windows")) {
                return new WindowsBackend();
            }
            throw new UnsupportedOperationException("procgroup does not support " + osName + " yet");
        }
    }
}
