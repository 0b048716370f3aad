package io.github.procgroup.internal;

import java.io.IOException;
import java.util.List;

/**
 * Starts children on one operating system. The implementations live in the platform packages
 * ({@code internal.linux}, {@code internal.windows}); which one runs is chosen by
 * {@code internal.platform.Platforms}, so this package depends on none of them.
 */
public interface Backend {

    /**
     * Starts one child as the request places it (see {@link GroupPlacement}).
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
}
