package io.github.procgroup.internal.linux;

import io.github.procgroup.testing.Programs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Linux bindings as procgroup uses them on aarch64 (the x86_64 package, with what
 * {@code bindings.linux.aarch64} generates instead) against the aarch64 cross compiler:
 * every struct and constant of {@code headers/linux/linux.jextract} as {@code _Static_assert}s
 * that {@code aarch64-linux-gnu-gcc} must accept. {@code .ci/run} installs it from Debian
 * ({@code gcc-aarch64-linux-gnu}, {@code libc6-dev-arm64-cross}); where it is missing the test is
 * skipped. It runs on any host: it compiles, it runs nothing for aarch64.
 */
class Aarch64LayoutTest {
    private static final String COMPILER = "aarch64-linux-gnu-gcc";
    private static final String AARCH64_PACKAGE = "io.github.procgroup.bindings.linux.aarch64";

    @Test
    void theAarch64BindingsMatchTheCrossCompiler(@TempDir Path dir) throws Exception {
        assumeTrue(Programs.onPath(COMPILER), COMPILER + " is not installed (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross)");
        String source = LinuxLayouts.assertions(LinuxLayouts.headers(), AARCH64_PACKAGE);
        assertTrue(source.contains("_Static_assert(sizeof(struct epoll_event) == 16,"), "aarch64's epoll_event");
        assertTrue(source.contains("_Static_assert(offsetof(struct epoll_event, data) == 8,"), "padding before data");
        assertTrue(source.contains("_Static_assert((unsigned int) (O_DIRECTORY) == 16384u,"), "aarch64's O_DIRECTORY");
        assertTrue(source.contains("_Static_assert((unsigned int) (O_NOFOLLOW) == 32768u,"), "aarch64's O_NOFOLLOW");
        assertTrue(source.contains("_Static_assert(sizeof(struct rlimit) == 16,"), "struct rlimit");
        assertEquals("", LinuxLayouts.compile(COMPILER, dir, source), "the aarch64 compiler disagrees with the bindings");
    }

    /** Without the aarch64 package the x86_64 bindings are wrong there: the check sees the difference. */
    @Test
    void theX86_64BindingsAloneFailOnAarch64(@TempDir Path dir) throws Exception {
        assumeTrue(Programs.onPath(COMPILER), COMPILER + " is not installed");
        String diagnostics = LinuxLayouts.compile(COMPILER, dir, LinuxLayouts.assertions(LinuxLayouts.headers(), null));
        assertTrue(diagnostics.contains("sizeof(struct epoll_event) == 12"), diagnostics);
        assertTrue(diagnostics.contains("O_DIRECTORY"), diagnostics);
        assertTrue(diagnostics.contains("O_NOFOLLOW"), diagnostics);
    }

    /** What the exit watcher writes and reads, byte for byte, in each architecture's layout. */
    @Test
    void anEpollEventPutsTheFdWhereEachArchitectureReadsIt() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            LinuxArch.EpollEvent aarch64 = LinuxArch.epollEventOf(LinuxArch.Variant.AARCH64);
            java.lang.foreign.MemorySegment event = aarch64.event(1, 42, arena);
            assertEquals(16, event.byteSize());
            assertEquals(1, event.get(java.lang.foreign.ValueLayout.JAVA_INT, 0), "events at 0");
            assertEquals(42, event.get(java.lang.foreign.ValueLayout.JAVA_INT, 8), "data.fd at 8, after the padding");
            assertEquals(42, aarch64.fd(event));

            LinuxArch.EpollEvent x86 = LinuxArch.epollEventOf(LinuxArch.Variant.X86_64);
            java.lang.foreign.MemorySegment packed = x86.event(1, 42, arena);
            assertEquals(12, packed.byteSize());
            assertEquals(42, packed.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 4), "packed: data.fd at 4");

            java.lang.foreign.MemorySegment array = arena.allocate(aarch64.size() * 3, aarch64.alignment());
            array.set(java.lang.foreign.ValueLayout.JAVA_INT, 2 * 16 + 8, 7);
            assertEquals(7, aarch64.fd(aarch64.at(array, 2)), "the third event of an epoll_wait array");
        }
    }

    @Test
    void linuxArchNamesBothArchitectures() {
        assertEquals(LinuxArch.Variant.AARCH64, LinuxArch.find("aarch64"));
        assertEquals(LinuxArch.Variant.X86_64, LinuxArch.find("amd64"));
        assertEquals(null, LinuxArch.find("riscv64"));
    }
}
