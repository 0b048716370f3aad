package io.github.procgroup.internal.windows;

import io.github.procgroup.bindings.windows.Kernel32;
import io.github.procgroup.bindings.windows.PROCESS_INFORMATION;
import io.github.procgroup.bindings.windows.SECURITY_ATTRIBUTES;
import io.github.procgroup.bindings.windows.STARTUPINFOEXW;
import io.github.procgroup.bindings.windows.STARTUPINFOW;
import io.github.procgroup.internal.SpawnRequest;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates a child inside a new Job Object: CreateJobObjectW with KILL_ON_JOB_CLOSE (and the
 * user's limits), pipes for stdio whose parent ends are not inheritable, an attribute list with
 * PROC_THREAD_ATTRIBUTE_HANDLE_LIST (the child inherits its three stdio handles and nothing else)
 * and PROC_THREAD_ATTRIBUTE_JOB_LIST (the child starts inside the job, Windows 10+), then
 * CreateProcessW. Where the job list is refused (before Windows 10), the child is created
 * CREATE_SUSPENDED, assigned to the job, then resumed, so it runs no instruction outside the job.
 * Never CREATE_BREAKAWAY_FROM_JOB. On any failure everything created so far is closed; closing
 * the job kills whatever it holds.
 */
final class WindowsSpawner {
    /** CreateProcessW flags of every spawn: the attribute list, a UTF-16 environment, a console group of its own. */
    static final int BASE_FLAGS = Kernel32.EXTENDED_STARTUPINFO_PRESENT() | Kernel32.CREATE_UNICODE_ENVIRONMENT()
            | Kernel32.CREATE_NEW_PROCESS_GROUP();
    private static final int ERROR_INSUFFICIENT_BUFFER = 122;
    /** The exit code of a tree ended by TerminateJobObject, as {@link WindowsProcess} uses. */
    private static final int TERMINATED_EXIT_CODE = WindowsProcess.TERMINATED_EXIT_CODE;
    /** The attribute list holds two entries: the handle list and the job list. */
    private static final int ATTRIBUTE_COUNT = 2;

    /**
     * A started child.
     *
     * @param job     its job (the caller owns the handle)
     * @param process its process handle
     * @param pid     its process id, also the id of its console process group
     * @param stdin   the parent's end of its stdin pipe, or NULL
     * @param stdout  the parent's end of its stdout pipe, or NULL
     * @param stderr  the parent's end of its stderr pipe, or NULL (also when merged into stdout)
     */
    record Started(MemorySegment job, MemorySegment process, int pid,
                   MemorySegment stdin, MemorySegment stdout, MemorySegment stderr) {
    }

    private final Win32 win32;
    /** Null where only pipes can be made (a recording Win32 without the file calls). */
    private final RedirectHandles redirects;
    private final List<MemorySegment> toClose = new ArrayList<>(); // handles to close whatever happens

    WindowsSpawner(Win32 win32) {
        this(win32, win32 instanceof Win32Handles handles ? handles : null);
    }

    WindowsSpawner(Win32 win32, Win32Handles handles) {
        this.win32 = win32;
        this.redirects = handles == null ? null : new RedirectHandles(win32, handles);
    }

    /** Starts {@code request}'s command. Handles for the caller are in the result; the rest is closed. */
    Started spawn(SpawnRequest request) throws IOException {
        checkRedirects(request);
        MemorySegment job = win32.createJobObject();
        if (job.equals(MemorySegment.NULL)) {
            throw WindowsErrors.exception("CreateJobObjectW", win32.lastError());
        }
        MemorySegment[] parentEnds = new MemorySegment[3];
        boolean started = false;
        try (Arena arena = Arena.ofConfined()) {
            check(win32.setInformationJobObject(job, Kernel32.JobObjectExtendedLimitInformation(),
                    JobLimitInformation.of(arena, request.containment().limits())), "SetInformationJobObject");
            MemorySegment[] childEnds = new MemorySegment[3];
            for (int fd = 0; fd < 3; fd++) {
                if (fd == 2 && request.redirectErrorStream()) {
                    childEnds[2] = childEnds[1];
                    parentEnds[2] = MemorySegment.NULL;
                    continue;
                }
                Redirect redirect = fd == 0 ? request.stdin() : fd == 1 ? request.stdout() : request.stderr();
                if (redirect.type() != Redirect.Type.PIPE) {
                    childEnds[fd] = redirects.open(arena, fd, redirect); // inherited, then closed here
                    parentEnds[fd] = MemorySegment.NULL;
                    toClose.add(childEnds[fd]);
                    continue;
                }
                MemorySegment[] pipe = pipe(arena);
                boolean childReads = fd == 0;
                childEnds[fd] = childReads ? pipe[0] : pipe[1];
                parentEnds[fd] = childReads ? pipe[1] : pipe[0];
                toClose.add(childEnds[fd]);
                check(win32.setInheritable(parentEnds[fd], false), "SetHandleInformation");
            }
            Started result = create(arena, request, job, childEnds, parentEnds);
            started = true;
            return result;
        } finally {
            toClose.forEach(win32::closeHandle);
            toClose.clear();
            if (!started) {
                for (MemorySegment end : parentEnds) {
                    if (end != null && !end.equals(MemorySegment.NULL)) {
                        win32.closeHandle(end);
                    }
                }
                win32.closeHandle(job); // KILL_ON_JOB_CLOSE: a child already in it dies with it
            }
        }
    }

    private Started create(Arena arena, SpawnRequest request, MemorySegment job, MemorySegment[] childEnds,
                           MemorySegment[] parentEnds) throws IOException {
        MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
        // The first call only reports the size the list needs (and fails with ERROR_INSUFFICIENT_BUFFER).
        if (!win32.initializeProcThreadAttributeList(MemorySegment.NULL, ATTRIBUTE_COUNT, size)
                && win32.lastError() != ERROR_INSUFFICIENT_BUFFER) {
            throw WindowsErrors.exception("InitializeProcThreadAttributeList", win32.lastError());
        }
        MemorySegment attributes = arena.allocate(size.get(ValueLayout.JAVA_LONG, 0), 8);
        check(win32.initializeProcThreadAttributeList(attributes, ATTRIBUTE_COUNT, size), "InitializeProcThreadAttributeList");
        try {
            Set<MemorySegment> inherited = new LinkedHashSet<>(List.of(childEnds)); // no duplicates allowed
            check(win32.updateProcThreadAttribute(attributes, Kernel32.PROC_THREAD_ATTRIBUTE_HANDLE_LIST(),
                    handles(arena, inherited)), "UpdateProcThreadAttribute(HANDLE_LIST)");
            boolean jobList = win32.updateProcThreadAttribute(attributes, Kernel32.PROC_THREAD_ATTRIBUTE_JOB_LIST(),
                    handles(arena, List.of(job)));
            int flags = BASE_FLAGS | (jobList ? 0 : Kernel32.CREATE_SUSPENDED());

            MemorySegment startup = STARTUPINFOEXW.allocate(arena);
            MemorySegment info = STARTUPINFOEXW.StartupInfo(startup);
            STARTUPINFOW.cb(info, (int) STARTUPINFOEXW.layout().byteSize());
            STARTUPINFOW.dwFlags(info, Kernel32.STARTF_USESTDHANDLES());
            STARTUPINFOW.hStdInput(info, childEnds[0]);
            STARTUPINFOW.hStdOutput(info, childEnds[1]);
            STARTUPINFOW.hStdError(info, childEnds[2]);
            STARTUPINFOEXW.lpAttributeList(startup, attributes);
            MemorySegment process = PROCESS_INFORMATION.allocate(arena);
            MemorySegment commandLine = arena.allocateFrom(CommandLine.of(request.command()), StandardCharsets.UTF_16LE);
            MemorySegment environment = request.environment() == null ? MemorySegment.NULL
                    : arena.allocateFrom(ValueLayout.JAVA_BYTE, EnvironmentBlock.encode(request.environment()));
            MemorySegment directory = request.directory() == null ? MemorySegment.NULL
                    : arena.allocateFrom(request.directory().getPath(), StandardCharsets.UTF_16LE);
            if (!win32.createProcess(commandLine, flags, environment, directory, startup, process)) {
                throw WindowsErrors.exception("cannot run program \"" + request.program() + "\"", win32.lastError());
            }
            MemorySegment processHandle = PROCESS_INFORMATION.hProcess(process);
            MemorySegment thread = PROCESS_INFORMATION.hThread(process);
            toClose.add(thread);
            if (!jobList) {
                if (!win32.assignProcessToJobObject(job, processHandle)) {
                    int error = win32.lastError();
                    win32.terminateJobObject(job, TERMINATED_EXIT_CODE);
                    toClose.add(processHandle);
                    throw WindowsErrors.exception("AssignProcessToJobObject", error);
                }
                win32.resumeThread(thread);
            }
            return new Started(job, processHandle, PROCESS_INFORMATION.dwProcessId(process),
                    parentEnds[0], parentEnds[1], parentEnds[2]);
        } finally {
            win32.deleteProcThreadAttributeList(attributes);
        }
    }

    private MemorySegment[] pipe(Arena arena) throws IOException {
        MemorySegment security = SECURITY_ATTRIBUTES.allocate(arena);
        SECURITY_ATTRIBUTES.nLength(security, (int) SECURITY_ATTRIBUTES.layout().byteSize());
        SECURITY_ATTRIBUTES.bInheritHandle(security, 1); // the child's end must be inheritable
        MemorySegment handles = arena.allocate(ValueLayout.ADDRESS, 2);
        check(win32.createPipe(handles, security), "CreatePipe");
        return new MemorySegment[] {handles.getAtIndex(ValueLayout.ADDRESS, 0), handles.getAtIndex(ValueLayout.ADDRESS, 1)};
    }

    private static MemorySegment handles(Arena arena, java.util.Collection<MemorySegment> handles) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, handles.size());
        int i = 0;
        for (MemorySegment h : handles) {
            array.setAtIndex(ValueLayout.ADDRESS, i++, h);
        }
        return array;
    }

    private void check(boolean ok, String call) throws IOException {
        if (!ok) {
            throw WindowsErrors.exception(call, win32.lastError());
        }
    }

    /** Without the file calls ({@link Win32Handles}) only pipes can be made: other redirects are refused, not ignored. */
    private void checkRedirects(SpawnRequest request) {
        for (Redirect r : Arrays.asList(request.stdin(), request.stdout(), request.stderr())) {
            if (r != null && r.type() != Redirect.Type.PIPE && redirects == null) { // null: stderr merged into stdout
                throw new UnsupportedOperationException("this Win32 makes pipes only, not " + r);
            }
        }
    }
}
