package io.github.procgroup.internal.windows;

import io.github.procgroup.Limits;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_LIMIT_INFORMATION;
import io.github.procgroup.bindings.windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION;
import io.github.procgroup.bindings.windows.LARGE_INTEGER;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bytes the Windows backend hands to kernel32: the environment block and the job limits. */
class WindowsEncodingTest {

    @Test
    void environmentBlockIsSortedUtf16WithADoubleNul() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("zeta", "1");
        env.put("Path", "C:\\bin");
        env.put("ALPHA", "é");
        byte[] expected = "ALPHA=é\0Path=C:\\bin\0zeta=1\0\0".getBytes(StandardCharsets.UTF_16LE);
        assertArrayEquals(expected, EnvironmentBlock.encode(env));
    }

    @Test
    void emptyEnvironmentBlockIsTwoNuls() {
        assertArrayEquals(new byte[4], EnvironmentBlock.encode(Map.of()));
    }

    @Test
    void aNewJobAlwaysKillsItsTreeWhenClosedAndHasNoOtherLimitByDefault() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = JobLimitInformation.of(arena, Limits.NONE);
            assertEquals(144, info.byteSize());
            assertEquals(0x2000, info.get(ValueLayout.JAVA_INT, 16), "LimitFlags = KILL_ON_JOB_CLOSE only");
            for (long offset = 0; offset < 144; offset += 4) {
                if (offset != 16) {
                    assertEquals(0, info.get(ValueLayout.JAVA_INT, offset), "byte " + offset + " untouched");
                }
            }
        }
    }

    @Test
    void limitsLandAtTheirWin64Offsets() {
        Limits limits = Limits.NONE.withMaxProcesses(7).withMaxMemory(512L << 20)
                .withProcessCpuTime(Duration.ofSeconds(3));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = JobLimitInformation.of(arena, limits);
            // Read back at the raw offsets Microsoft documents, not through the bindings.
            assertEquals(0x2000 | 0x8 | 0x200 | 0x2, info.get(ValueLayout.JAVA_INT, 16), "LimitFlags");
            assertEquals(7, info.get(ValueLayout.JAVA_INT, 40), "ActiveProcessLimit");
            assertEquals(512L << 20, info.get(ValueLayout.JAVA_LONG, 120), "JobMemoryLimit");
            assertEquals(30_000_000L, info.get(ValueLayout.JAVA_LONG, 0), "PerProcessUserTimeLimit in 100 ns ticks");
            MemorySegment basic = JOBOBJECT_EXTENDED_LIMIT_INFORMATION.BasicLimitInformation(info);
            assertEquals(30_000_000L, LARGE_INTEGER.QuadPart(JOBOBJECT_BASIC_LIMIT_INFORMATION.PerProcessUserTimeLimit(basic)));
        }
    }
}
