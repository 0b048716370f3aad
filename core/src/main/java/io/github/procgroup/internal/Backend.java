package io.github.procgroup.internal;

import io.github.procgroup.internal.linux.LinuxBackend;
import io.github.procgroup.internal.windows.WindowsBackend;

import java.io.IOException;
import java.util.List;

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

    /**
     * Starts a pipeline: every stage in one process group, which the first stage leads, and the
     * stdout of each stage connected to the stdin of the next by a pipe that only the two stages
     * hold. The requests' stdin (but the first's) and stdout (but the last's) are ignored.
     *
     * @param stages what to start, at least one
     * @return the running stages, in order
     * @throws IOException if a stage could not be started; nothing is left behind then
     * @throws UnsupportedOperationException where the platform cannot put several processes in one group
     */
    default List<ChildProcess> spawnPipeline(List<SpawnRequest> stages) throws IOException {
        throw new UnsupportedOperationException("pipelines in one process group are not supported on "
                + System.getProperty("os.name"));
    }

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
