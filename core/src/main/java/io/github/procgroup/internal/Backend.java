package io.github.procgroup.internal;

import java.io.IOException;

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
}
