package io.github.procgroup.internal.linux;

import io.github.procgroup.ExitStatus;
import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exit watcher loses the ability to list /proc (every listing fails as at the fd limit:
 * the children walk is turned off, so every listing is ProcTable's, and its test seam fails): the listing it makes after a sentinel-guarded leader's exit
 * fails, and still every later wait completes; the tree operations report the cause.
 */
@ExtendWith(NoLeftovers.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExitWatcherFailureTest {

    @AfterEach
    void restoreListing() {
        ProcTable.replaceLister(null);
        TreeWalk.disableForTests(false);
    }

    @Test
    void waitsCompleteAfterTheWatcherFailedToList() throws Exception {
        GroupProcess guarded = new GroupProcessBuilder("sh", "-c", "read x").killOnParentDeath(true).start();
        try {
            TreeWalk.disableForTests(true);
            ProcTable.replaceLister(() -> {
                throw new IOException("Too many open files");
            });
            guarded.getOutputStream().close(); // the leader exits; the watcher then lists /proc, which fails
            assertEquals(Optional.of(ExitStatus.exited(1)), guarded.awaitExit(Duration.ofSeconds(20)));

            try (GroupProcess later = new GroupProcessBuilder("true").start()) {
                assertEquals(Optional.of(ExitStatus.exited(0)), later.awaitExit(Duration.ofSeconds(20)),
                        "the watcher thread still reaps");
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, guarded::tree);
            assertTrue(e.getMessage().contains("cannot list /proc") && e.getMessage().contains("Too many open files"),
                    e.getMessage());
        } finally {
            ProcTable.replaceLister(null);
            TreeWalk.disableForTests(false);
            guarded.close();
        }
    }
}
