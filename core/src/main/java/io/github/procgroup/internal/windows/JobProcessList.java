package io.github.procgroup.internal.windows;

import io.github.procgroup.ProcessInfo;
import io.github.procgroup.bindings.windows.JOBOBJECT_BASIC_PROCESS_ID_LIST;
import io.github.procgroup.bindings.windows.Kernel32;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one job, from QueryInformationJobObject(JobObjectBasicProcessIdList): a
 * header of two DWORDs (assigned, listed) and then one ULONG_PTR pid per listed process. The
 * first query has room for {@link #FIRST_ROOM} pids; when the job holds more, Windows fills what
 * fits and fails with ERROR_MORE_DATA, and the query is repeated with room for all that were
 * assigned (and some more, as the job may grow meanwhile).
 */
final class JobProcessList {
    static final int FIRST_ROOM = 64;
    private static final int MAX_ROUNDS = 8;
    private static final long HEADER = JOBOBJECT_BASIC_PROCESS_ID_LIST.layout().byteOffset(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("ProcessIdList"));

    private final Win32 win32;
    private final MemorySegment job;

    JobProcessList(Win32 win32, MemorySegment job) {
        this.win32 = win32;
        this.job = job;
    }

    /** @return the job's pids, in the job's order */
    long[] pids() {
        int room = FIRST_ROOM;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment list = arena.allocate(HEADER + room * ValueLayout.JAVA_LONG.byteSize(), 8);
                if (win32.queryInformationJobObject(job, Kernel32.JobObjectBasicProcessIdList(), list)) {
                    int listed = JOBOBJECT_BASIC_PROCESS_ID_LIST.NumberOfProcessIdsInList(list);
                    long[] pids = new long[listed];
                    for (int i = 0; i < listed; i++) {
                        pids[i] = list.get(ValueLayout.JAVA_LONG, HEADER + i * ValueLayout.JAVA_LONG.byteSize());
                    }
                    return pids;
                }
                int error = win32.lastError();
                if (error != Kernel32.ERROR_MORE_DATA()) {
                    throw new UncheckedIOException(WindowsErrors.exception("QueryInformationJobObject(process id list)", error));
                }
                room = Math.max(room * 2, JOBOBJECT_BASIC_PROCESS_ID_LIST.NumberOfAssignedProcesses(list) + FIRST_ROOM);
            }
        }
        throw new IllegalStateException("the job kept growing faster than it could be listed (" + room + " processes)");
    }

    /**
     * @param leader the child's pid, its group id in the result (its console process group)
     * @return each process of the job as the JDK can describe it; one that ended since the query is left out
     */
    List<ProcessInfo> list(long leader) {
        List<ProcessInfo> infos = new ArrayList<>();
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(process -> {
                ProcessHandle.Info info = process.info();
                infos.add(new ProcessInfo(pid, process.parent().map(ProcessHandle::pid).orElse(-1L), leader, -1, 'R',
                        info.commandLine().or(info::command).orElse("[" + pid + "]")));
            });
        }
        return infos;
    }
}
