package io.github.procgroup.internal.linux;

import io.github.procgroup.testing.Programs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The x86_64 Linux bindings against the host's gcc: every generated struct (size, alignment,
 * offset and size of each field) and constant listed in {@code headers/linux/linux.jextract},
 * written as {@code _Static_assert}s that gcc must accept with the same wrapper header.
 */
@EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "x86_64"}, disabledReason = "checks the x86_64 Linux ABI with the host's gcc")
class LinuxLayoutTest {
    private static final String COMPILER = "gcc";

    @Test
    void everyGeneratedLayoutAndConstantMatchesGcc(@TempDir Path dir) throws Exception {
        assumeTrue(Programs.onPath(COMPILER), COMPILER + " is not installed");
        String source = LinuxLayouts.assertions(LinuxLayouts.headers(), null);
        // The layouts that matter most are really among the assertions (not an empty file).
        assertTrue(source.contains("_Static_assert(sizeof(struct epoll_event) == 12,"), "the packed epoll_event");
        assertTrue(source.contains("_Static_assert(offsetof(siginfo_t, _sifields._sigchld.si_status) =="), "waitid's siginfo");
        assertTrue(source.contains("_Static_assert(sizeof(struct rlimit) == 16,"), "struct rlimit");
        assertTrue(source.contains("_Static_assert((unsigned int) (O_DIRECTORY) == 65536u,"), "O_DIRECTORY");
        assertEquals("", LinuxLayouts.compile(COMPILER, dir, source), "gcc disagrees with the generated bindings");
    }

    @Test
    void aWrongLayoutFailsToCompile(@TempDir Path dir) throws Exception {
        assumeTrue(Programs.onPath(COMPILER), COMPILER + " is not installed");
        String wrong = "#include \"procgroup_linux.h\"\n" + LinuxLayouts.assertion("sizeof(struct epoll_event)", "16");
        assertNotEquals("", LinuxLayouts.compile(COMPILER, dir, wrong), "a false assertion must fail the compilation");
    }
}
