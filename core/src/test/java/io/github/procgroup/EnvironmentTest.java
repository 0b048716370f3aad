package io.github.procgroup;

import io.github.procgroup.testing.Children;
import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The child's environment, and the PATH it is looked up in. */
@ExtendWith(NoLeftovers.class)
class EnvironmentTest {
    @TempDir
    Path tmp;

    @Test
    void environmentIsAnEditableCopyOfTheJvms() {
        GroupProcessBuilder b = new GroupProcessBuilder("true");
        assertEquals(System.getenv(), b.environment());
        b.environment().put("PROCGROUP_ONLY_IN_COPY", "1");
        assertEquals(null, System.getenv("PROCGROUP_ONLY_IN_COPY"));
        assertEquals("1", b.environment().get("PROCGROUP_ONLY_IN_COPY"), "the same live map on every call");
    }

    @Test
    void untouchedEnvironmentIsExactlyTheJvms() throws Exception {
        assertEquals(System.getenv(), environmentOf(new GroupProcessBuilder("env", "-0")));
    }

    @Test
    void untouchedEnvironmentIsPassedOnByteForByte() throws Throwable {
        // A value that is not valid UTF-8: System.getenv() could only give a replacement character.
        byte[] raw = {'a', (byte) 0xff, 'b'};
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        MethodHandle unsetenv = linker.downcallHandle(linker.defaultLookup().find("unsetenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom("PROCGROUP_RAW_BYTES");
            MemorySegment value = arena.allocate(raw.length + 1L);
            MemorySegment.copy(raw, 0, value, ValueLayout.JAVA_BYTE, 0, raw.length);
            assertEquals(0, (int) setenv.invokeExact(name, value, 1));
            try (GroupProcess p = new GroupProcessBuilder("printenv", "PROCGROUP_RAW_BYTES").start()) {
                assertArrayEquals(new byte[] {'a', (byte) 0xff, 'b', '\n'}, p.getInputStream().readAllBytes());
                assertEquals(0, p.waitFor());
            } finally {
                assertEquals(0, (int) unsetenv.invokeExact(name));
            }
        }
    }

    @Test
    void childSeesExactlyTheEditedEnvironment() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("env", "-0");
        String removed = System.getenv().keySet().stream().filter(k -> !k.equals("PATH")).findFirst().orElseThrow();
        b.environment().remove(removed);
        b.environment().put("PROCGROUP_ADDED", "a value with spaces = and ünïcødé");

        Map<String, String> seen = environmentOf(b);

        assertEquals(b.environment(), seen);
        assertEquals(null, seen.get(removed), removed + " was removed");
    }

    @Test
    void shellSeesAddedAndRemovedVariables() throws Exception {
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c", "echo \"${PROCGROUP_GONE-unset}|$PROCGROUP_X\"");
        b.environment().put("PROCGROUP_GONE", "here");
        b.environment().remove("PROCGROUP_GONE");
        b.environment().put("PROCGROUP_X", "hello");
        assertEquals("unset|hello\n", Children.output(b));
    }

    @Test
    void argumentsAndVariablesAreUtf8WhateverTheJvmEncoding() throws Exception {
        String text = "ünïcødé ✓ 日本";
        GroupProcessBuilder b = new GroupProcessBuilder("sh", "-c", "printf '%s|%s' \"$1\" \"$PROCGROUP_U\"", "sh", text);
        b.environment().put("PROCGROUP_U", text);
        try (var p = b.start()) {
            byte[] out = p.getInputStream().readAllBytes();
            assertArrayEquals((text + "|" + text).getBytes(StandardCharsets.UTF_8), out);
        }
    }

    @Test
    void directorySetsTheWorkingDirectory() throws Exception {
        assertEquals(tmp.toRealPath() + "\n", Children.output(new GroupProcessBuilder("pwd").directory(tmp)));
        assertNotEquals(tmp.toRealPath() + "\n", Children.output(new GroupProcessBuilder("pwd")));
    }

    private static Map<String, String> environmentOf(GroupProcessBuilder envZero) throws Exception {
        Map<String, String> seen = new HashMap<>();
        for (String entry : Children.output(envZero).split("\0")) {
            int eq = entry.indexOf('=');
            seen.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return seen;
    }

    static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
