package io.github.procgroup.internal.windows;

import io.github.procgroup.bindings.windows.IO_COUNTERS;
import io.github.procgroup.bindings.windows.JOBOBJECT_ASSOCIATE_COMPLETION_PORT;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_ACCOUNTING_INFORMATION;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_LIMIT_INFORMATION;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_PROCESS_ID_LIST;
import io.github.procgroup.bindings.windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION;
import io.github.procgroup.bindings.windows.Kernel32;
import io.github.procgroup.bindings.windows.LARGE_INTEGER;
import io.github.procgroup.bindings.windows.PROCESS_INFORMATION;
import io.github.procgroup.bindings.windows.SECURITY_ATTRIBUTES;
import io.github.procgroup.bindings.windows.STARTUPINFOEXW;
import io.github.procgroup.bindings.windows.STARTUPINFOW;
import org.junit.jupiter.api.Test;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The generated Windows layouts are those of 64-bit Windows, as Microsoft documents them
 * (sizes and offsets written out here by hand, not derived from the bindings). A mismatch means
 * jextract ran with the wrong target or with a 64-bit C long.
 */
class Win64LayoutTest {

    /** Every generated struct, by its C type name (MingwLayoutTest checks them all against the compiler). */
    static final Map<String, GroupLayout> STRUCTS = new LinkedHashMap<>();

    static {
        STRUCTS.put("JOBOBJECT_BASIC_LIMIT_INFORMATION", JOBOBJECT_BASIC_LIMIT_INFORMATION.layout());
        STRUCTS.put("IO_COUNTERS", IO_COUNTERS.layout());
        STRUCTS.put("JOBOBJECT_EXTENDED_LIMIT_INFORMATION", JOBOBJECT_EXTENDED_LIMIT_INFORMATION.layout());
        STRUCTS.put("STARTUPINFOW", STARTUPINFOW.layout());
        STRUCTS.put("STARTUPINFOEXW", STARTUPINFOEXW.layout());
        STRUCTS.put("PROCESS_INFORMATION", PROCESS_INFORMATION.layout());
        STRUCTS.put("SECURITY_ATTRIBUTES", SECURITY_ATTRIBUTES.layout());
        STRUCTS.put("LARGE_INTEGER", LARGE_INTEGER.layout());
        STRUCTS.put("JOBOBJECT_BASIC_ACCOUNTING_INFORMATION", JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.layout());
        STRUCTS.put("JOBOBJECT_BASIC_PROCESS_ID_LIST", JOBOBJECT_BASIC_PROCESS_ID_LIST.layout());
        STRUCTS.put("JOBOBJECT_ASSOCIATE_COMPLETION_PORT", JOBOBJECT_ASSOCIATE_COMPLETION_PORT.layout());
    }

    @Test
    void jobObjectBasicLimitInformation() {
        check(JOBOBJECT_BASIC_LIMIT_INFORMATION.layout(), 64, Map.of(
                "PerProcessUserTimeLimit", 0L, "PerJobUserTimeLimit", 8L, "LimitFlags", 16L,
                "MinimumWorkingSetSize", 24L, "MaximumWorkingSetSize", 32L, "ActiveProcessLimit", 40L,
                "Affinity", 48L, "PriorityClass", 56L, "SchedulingClass", 60L));
    }

    @Test
    void ioCounters() {
        check(IO_COUNTERS.layout(), 48, Map.of(
                "ReadOperationCount", 0L, "WriteOperationCount", 8L, "OtherOperationCount", 16L,
                "ReadTransferCount", 24L, "WriteTransferCount", 32L, "OtherTransferCount", 40L));
    }

    @Test
    void jobObjectExtendedLimitInformation() {
        check(JOBOBJECT_EXTENDED_LIMIT_INFORMATION.layout(), 144, Map.of(
                "BasicLimitInformation", 0L, "IoInfo", 64L, "ProcessMemoryLimit", 112L,
                "JobMemoryLimit", 120L, "PeakProcessMemoryUsed", 128L, "PeakJobMemoryUsed", 136L));
    }

    @Test
    void startupInfo() {
        Map<String, Long> offsets = new LinkedHashMap<>();
        offsets.put("cb", 0L);
        offsets.put("lpReserved", 8L);
        offsets.put("lpDesktop", 16L);
        offsets.put("lpTitle", 24L);
        offsets.put("dwX", 32L);
        offsets.put("dwY", 36L);
        offsets.put("dwXSize", 40L);
        offsets.put("dwYSize", 44L);
        offsets.put("dwXCountChars", 48L);
        offsets.put("dwYCountChars", 52L);
        offsets.put("dwFillAttribute", 56L);
        offsets.put("dwFlags", 60L);
        offsets.put("wShowWindow", 64L);
        offsets.put("cbReserved2", 66L);
        offsets.put("lpReserved2", 72L);
        offsets.put("hStdInput", 80L);
        offsets.put("hStdOutput", 88L);
        offsets.put("hStdError", 96L);
        check(STARTUPINFOW.layout(), 104, offsets);
        check(STARTUPINFOEXW.layout(), 112, Map.of("StartupInfo", 0L, "lpAttributeList", 104L));
    }

    @Test
    void processInformationAndSecurityAttributes() {
        check(PROCESS_INFORMATION.layout(), 24, Map.of(
                "hProcess", 0L, "hThread", 8L, "dwProcessId", 16L, "dwThreadId", 20L));
        check(SECURITY_ATTRIBUTES.layout(), 24, Map.of(
                "nLength", 0L, "lpSecurityDescriptor", 8L, "bInheritHandle", 16L));
        assertEquals(8, LARGE_INTEGER.layout().byteSize());
    }

    @Test
    void jobObjectBasicAccountingInformation() {
        check(JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.layout(), 48, Map.of(
                "TotalUserTime", 0L, "TotalKernelTime", 8L, "ThisPeriodTotalUserTime", 16L,
                "ThisPeriodTotalKernelTime", 24L, "TotalPageFaultCount", 32L, "TotalProcesses", 36L,
                "ActiveProcesses", 40L, "TotalTerminatedProcesses", 44L));
    }

    @Test
    void jobObjectBasicProcessIdList() {
        // ProcessIdList is ULONG_PTR[1], 8-byte aligned after the two DWORD counts; callers size the
        // buffer for more ids and read past the declared single element.
        check(JOBOBJECT_BASIC_PROCESS_ID_LIST.layout(), 16, Map.of(
                "NumberOfAssignedProcesses", 0L, "NumberOfProcessIdsInList", 4L, "ProcessIdList", 8L));
        assertEquals(8, JOBOBJECT_BASIC_PROCESS_ID_LIST.ProcessIdList$layout().elementLayout().byteSize());
    }

    @Test
    void jobObjectAssociateCompletionPort() {
        check(JOBOBJECT_ASSOCIATE_COMPLETION_PORT.layout(), 16, Map.of("CompletionKey", 0L, "CompletionPort", 8L));
    }

    @Test
    void cLongIsThirtyTwoBits() {
        assertEquals(4, Kernel32.C_LONG.byteSize(), "DWORD and LONG are 32 bits on Windows");
    }

    @Test
    void constantsHaveTheirDocumentedValues() {
        assertEquals(0x2000, Kernel32.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE());
        assertEquals(0x8, Kernel32.JOB_OBJECT_LIMIT_ACTIVE_PROCESS());
        assertEquals(0x200, Kernel32.JOB_OBJECT_LIMIT_JOB_MEMORY());
        assertEquals(0x2, Kernel32.JOB_OBJECT_LIMIT_PROCESS_TIME());
        assertEquals(9, Kernel32.JobObjectExtendedLimitInformation());
        assertEquals(0x4, Kernel32.CREATE_SUSPENDED());
        assertEquals(0x200, Kernel32.CREATE_NEW_PROCESS_GROUP());
        assertEquals(0x400, Kernel32.CREATE_UNICODE_ENVIRONMENT());
        assertEquals(0x80000, Kernel32.EXTENDED_STARTUPINFO_PRESENT());
        assertEquals(0x1000000, Kernel32.CREATE_BREAKAWAY_FROM_JOB());
        assertEquals(0x20002, Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST());
        assertEquals(0x2000D, Kernel32.PROC_THREAD_ATTRIBUTE_JOB_LIST());
        assertEquals(0x100, Kernel32.STARTF_USESTDHANDLES());
        assertEquals(1, Kernel32.CTRL_BREAK_EVENT());
        assertEquals(259, Kernel32.STILL_ACTIVE());
    }

    @Test
    void jobCompletionPortAndFileConstantsHaveTheirDocumentedValues() {
        assertEquals(3, Kernel32.JobObjectBasicProcessIdList());
        assertEquals(7, Kernel32.JobObjectAssociateCompletionPortInformation());
        assertEquals(4, Kernel32.JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO());
        assertEquals(6, Kernel32.JOB_OBJECT_MSG_NEW_PROCESS());
        assertEquals(7, Kernel32.JOB_OBJECT_MSG_EXIT_PROCESS());
        assertEquals(8, Kernel32.JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS());
        // STD_*_HANDLE are ((DWORD)-10), -11, -12: as a Java int, the negative numbers themselves
        assertEquals(-10, Kernel32.STD_INPUT_HANDLE());
        assertEquals(-11, Kernel32.STD_OUTPUT_HANDLE());
        assertEquals(-12, Kernel32.STD_ERROR_HANDLE());
        assertEquals(0x80000000, Kernel32.GENERIC_READ());
        assertEquals(0x40000000, Kernel32.GENERIC_WRITE());
        assertEquals(0x4, Kernel32.FILE_APPEND_DATA());
        assertEquals(0x1, Kernel32.FILE_SHARE_READ());
        assertEquals(0x2, Kernel32.FILE_SHARE_WRITE());
        assertEquals(0x4, Kernel32.FILE_SHARE_DELETE());
        assertEquals(2, Kernel32.CREATE_ALWAYS());
        assertEquals(3, Kernel32.OPEN_EXISTING());
        assertEquals(4, Kernel32.OPEN_ALWAYS());
        assertEquals(0x80, Kernel32.FILE_ATTRIBUTE_NORMAL());
        assertEquals(0x1, Kernel32.HANDLE_FLAG_INHERIT());
        assertEquals(0x2, Kernel32.DUPLICATE_SAME_ACCESS());
        assertEquals(0xFFFFFFFF, Kernel32.INFINITE());
        assertEquals(735, Kernel32.ERROR_ABANDONED_WAIT_0());
    }

    private static void check(GroupLayout layout, long size, Map<String, Long> offsets) {
        assertEquals(size, layout.byteSize(), layout.name().orElse("?") + " size");
        assertEquals(offsets.size(), layout.memberLayouts().stream().filter(m -> m.name().isPresent()).count(),
                layout.name().orElse("?") + " field count");
        offsets.forEach((field, offset) -> assertEquals(offset,
                layout.byteOffset(MemoryLayout.PathElement.groupElement(field)), layout.name().orElse("?") + "." + field));
    }
}
