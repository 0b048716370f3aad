package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.posix_spawn_file_actions_t;
import io.github.procgroup.bindings.linux.posix_spawnattr_t;
import io.github.procgroup.bindings.linux.sigset_t;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.GroupLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The struct sizes {@link SpawnCalls} allocates without loading jextract's struct classes are the
 * generated layouts' (which LinuxLayoutTest checks against gcc).
 */
@Timeout(10)
class SpawnStructSizesTest {

    @Test
    void theSpawnStructsAreAsLargeAndAsAlignedAsTheGeneratedLayouts() {
        check(posix_spawn_file_actions_t.layout(), SpawnCalls.FILE_ACTIONS_SIZE);
        check(posix_spawnattr_t.layout(), SpawnCalls.ATTR_SIZE);
        check(sigset_t.layout(), SpawnCalls.SIGSET_SIZE);
    }

    private static void check(GroupLayout generated, long size) {
        assertEquals(generated.byteSize(), size, generated.name().orElse("") + " size");
        assertTrue(SpawnCalls.STRUCT_ALIGNMENT >= generated.byteAlignment()
                && SpawnCalls.STRUCT_ALIGNMENT % generated.byteAlignment() == 0, generated + " alignment");
    }
}
