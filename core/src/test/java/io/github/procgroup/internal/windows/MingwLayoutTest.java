package io.github.procgroup.internal.windows;

import io.github.procgroup.testing.Programs;
import io.github.procgroup.bindings.windows.Kernel32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The generated layouts against the C compiler's own: a C file of {@code _Static_assert}s on
 * {@code sizeof} and {@code offsetof}, written from the Java layouts, must compile with the
 * mingw-w64 cross compiler for x86_64 Windows. {@code .ci/run} installs it from Debian; where it
 * is missing the test is skipped (an assumption, reported as skipped).
 */
class MingwLayoutTest {
    private static final String COMPILER = "x86_64-w64-mingw32-gcc";

    @Test
    void everyGeneratedStructMatchesTheCompilersLayout(@TempDir Path dir) throws Exception {
        assumeTrue(Programs.onPath(COMPILER), COMPILER + " is not installed (apt-get install gcc-mingw-w64-x86-64)");
        StringBuilder c = new StringBuilder(header());
        for (Map.Entry<String, GroupLayout> struct : Win64LayoutTest.STRUCTS.entrySet()) {
            String type = struct.getKey();
            GroupLayout layout = struct.getValue();
            c.append(assertion("sizeof(" + type + ")", layout.byteSize()));
            for (MemoryLayout field : layout.memberLayouts()) {
                if (field.name().isPresent() && !(layout.name().orElse("").equals("_LARGE_INTEGER"))) {
                    String name = field.name().get();
                    c.append(assertion("offsetof(" + type + ", " + name + ")",
                            layout.byteOffset(MemoryLayout.PathElement.groupElement(name))));
                }
            }
        }
        for (Map.Entry<String, Long> constant : constants().entrySet()) {
            c.append(assertion(constant.getKey(), constant.getValue()));
        }
        assertEquals("", compile(dir, c.toString()), "the compiler disagrees with the generated bindings");
    }

    @Test
    void aWrongLayoutFailsToCompile(@TempDir Path dir) throws Exception {
        assumeTrue(Programs.onPath(COMPILER), COMPILER + " is not installed");
        String wrong = header() + assertion("sizeof(JOBOBJECT_EXTENDED_LIMIT_INFORMATION)", 148);
        assertNotEquals("", compile(dir, wrong), "a false assertion must fail the compilation");
    }

    /**
     * Constants as the compiler sees them. The Java ints are read as unsigned 32-bit numbers, as the
     * C macros are DWORDs (GENERIC_READ is 0x80000000, STD_INPUT_HANDLE is (DWORD)-10): comparing a
     * negative number with them in C would be false.
     */
    private static Map<String, Long> constants() {
        Map<String, Long> constants = new LinkedHashMap<>();
        dword(constants, "JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE", Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE());
        dword(constants, "PROC_THREAD_ATTRIBUTE_JOB_LIST", Kernel32.PROC_THREAD_ATTRIBUTE_JOB_LIST());
        dword(constants, "PROC_THREAD_ATTRIBUTE_HANDLE_LIST", Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST());
        dword(constants, "EXTENDED_STARTUPINFO_PRESENT", Kernel32.EXTENDED_STARTUPINFO_PRESENT());
        dword(constants, "JobObjectExtendedLimitInformation", Kernel32.JobObjectExtendedLimitInformation());
        dword(constants, "JobObjectBasicProcessIdList", Kernel32.JobObjectBasicProcessIdList());
        dword(constants, "JobObjectAssociateCompletionPortInformation",
                Kernel32.JobObjectAssociateCompletionPortInformation());
        dword(constants, "JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO", Kernel32.JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO());
        dword(constants, "JOB_OBJECT_MSG_NEW_PROCESS", Kernel32.JOB_OBJECT_MSG_NEW_PROCESS());
        dword(constants, "JOB_OBJECT_MSG_EXIT_PROCESS", Kernel32.JOB_OBJECT_MSG_EXIT_PROCESS());
        dword(constants, "JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS", Kernel32.JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS());
        dword(constants, "STD_INPUT_HANDLE", Kernel32.STD_INPUT_HANDLE());
        dword(constants, "STD_OUTPUT_HANDLE", Kernel32.STD_OUTPUT_HANDLE());
        dword(constants, "STD_ERROR_HANDLE", Kernel32.STD_ERROR_HANDLE());
        dword(constants, "GENERIC_READ", Kernel32.GENERIC_READ());
        dword(constants, "GENERIC_WRITE", Kernel32.GENERIC_WRITE());
        dword(constants, "FILE_APPEND_DATA", Kernel32.FILE_APPEND_DATA());
        dword(constants, "FILE_SHARE_READ", Kernel32.FILE_SHARE_READ());
        dword(constants, "FILE_SHARE_WRITE", Kernel32.FILE_SHARE_WRITE());
        dword(constants, "FILE_SHARE_DELETE", Kernel32.FILE_SHARE_DELETE());
        dword(constants, "CREATE_ALWAYS", Kernel32.CREATE_ALWAYS());
        dword(constants, "OPEN_EXISTING", Kernel32.OPEN_EXISTING());
        dword(constants, "OPEN_ALWAYS", Kernel32.OPEN_ALWAYS());
        dword(constants, "FILE_ATTRIBUTE_NORMAL", Kernel32.FILE_ATTRIBUTE_NORMAL());
        dword(constants, "HANDLE_FLAG_INHERIT", Kernel32.HANDLE_FLAG_INHERIT());
        dword(constants, "DUPLICATE_SAME_ACCESS", Kernel32.DUPLICATE_SAME_ACCESS());
        dword(constants, "INFINITE", Kernel32.INFINITE());
        dword(constants, "ERROR_MORE_DATA", Kernel32.ERROR_MORE_DATA());
        dword(constants, "ERROR_ABANDONED_WAIT_0", Kernel32.ERROR_ABANDONED_WAIT_0());
        constants.put("sizeof(long)", Kernel32.C_LONG.byteSize());
        constants.put("sizeof(DWORD)", Kernel32.DWORD.byteSize());
        return constants;
    }

    private static void dword(Map<String, Long> constants, String name, int value) {
        constants.put(name, Integer.toUnsignedLong(value));
    }

    private static String header() {
        return "#define WIN32_LEAN_AND_MEAN 1\n#define UNICODE 1\n#define _WIN32_WINNT 0x0A00\n"
                + "#include <windows.h>\n#include <stddef.h>\n";
    }

    private static String assertion(String expression, long value) {
        return "_Static_assert(" + expression + " == " + value + ", \"" + expression + " == " + value + "\");\n";
    }

    /** @return the compiler's diagnostics, empty if it compiled */
    private static String compile(Path dir, String source) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("layouts.c"), source);
        Process gcc = new ProcessBuilder(COMPILER, "-fsyntax-only", file.toString()).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (!gcc.waitFor(60, TimeUnit.SECONDS)) {
            gcc.destroyForcibly().waitFor();
            throw new AssertionError(COMPILER + " hung");
        }
        return gcc.exitValue() == 0 ? "" : output.isEmpty() ? "exit " + gcc.exitValue() : output;
    }
}
