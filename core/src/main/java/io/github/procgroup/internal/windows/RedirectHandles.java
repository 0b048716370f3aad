package io.github.procgroup.internal.windows;

import io.github.procgroup.bindings.windows.Kernel32;
import io.github.procgroup.bindings.windows.SECURITY_ATTRIBUTES;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The child's end of a redirect other than a pipe, as an inheritable handle the caller closes
 * once the child is created (as the JDK's Windows ProcessImpl does):
 * <ul>
 * <li>a file ({@code Redirect.from/to/appendTo}): CreateFileW, sharing read, write and delete as
 *     the JDK does; {@code to} truncates or creates (CREATE_ALWAYS), {@code appendTo} writes with
 *     FILE_APPEND_DATA only, so every write lands at the end (OPEN_ALWAYS);</li>
 * <li>{@link Redirect#DISCARD}: the file {@code NUL} (whatever {@code DISCARD.file()} says on the
 *     JVM that built the request);</li>
 * <li>{@link Redirect#INHERIT}: an inheritable duplicate of the JVM's own standard handle
 *     (GetStdHandle + DuplicateHandle); a JVM without one (a GUI process) gives the child
 *     {@code NUL} instead, so the inherited-handle list never holds NULL.</li>
 * </ul>
 */
final class RedirectHandles {
    private static final String NUL = "NUL";
    private final Win32 win32;
    private final Win32Handles handles;

    RedirectHandles(Win32 win32, Win32Handles handles) {
        this.win32 = win32;
        this.handles = handles;
    }

    /** @return the child's handle for fd 0, 1 or 2 redirected as {@code redirect} (not a pipe) */
    MemorySegment open(Arena arena, int fd, Redirect redirect) throws IOException {
        if (redirect.equals(Redirect.DISCARD)) {
            return file(arena, NUL, Kernel32.GENERIC_WRITE(), Kernel32.OPEN_EXISTING());
        }
        return switch (redirect.type()) {
            case READ -> file(arena, redirect.file().getPath(), Kernel32.GENERIC_READ(), Kernel32.OPEN_EXISTING());
            case WRITE -> file(arena, redirect.file().getPath(), Kernel32.GENERIC_WRITE(), Kernel32.CREATE_ALWAYS());
            case APPEND -> file(arena, redirect.file().getPath(), Kernel32.FILE_APPEND_DATA(), Kernel32.OPEN_ALWAYS());
            case INHERIT -> inherit(arena, fd);
            case PIPE -> throw new IllegalArgumentException("a pipe is made by the spawner");
        };
    }

    private MemorySegment inherit(Arena arena, int fd) throws IOException {
        int which = fd == 0 ? Kernel32.STD_INPUT_HANDLE() : fd == 1 ? Kernel32.STD_OUTPUT_HANDLE() : Kernel32.STD_ERROR_HANDLE();
        MemorySegment own = handles.getStdHandle(which);
        if (own.equals(Kernel32.INVALID_HANDLE_VALUE())) {
            throw WindowsErrors.exception("GetStdHandle", win32.lastError());
        }
        if (own.equals(MemorySegment.NULL)) {
            return fd == 0 ? file(arena, NUL, Kernel32.GENERIC_READ(), Kernel32.OPEN_EXISTING())
                    : file(arena, NUL, Kernel32.GENERIC_WRITE(), Kernel32.OPEN_EXISTING());
        }
        MemorySegment duplicate = arena.allocate(ValueLayout.ADDRESS);
        if (!handles.duplicateInheritable(own, duplicate)) {
            throw WindowsErrors.exception("DuplicateHandle(std handle " + fd + ")", win32.lastError());
        }
        return duplicate.get(ValueLayout.ADDRESS, 0);
    }

    private MemorySegment file(Arena arena, String path, int access, int disposition) throws IOException {
        MemorySegment security = SECURITY_ATTRIBUTES.allocate(arena);
        SECURITY_ATTRIBUTES.nLength(security, (int) SECURITY_ATTRIBUTES.layout().byteSize());
        SECURITY_ATTRIBUTES.bInheritHandle(security, 1);
        int share = Kernel32.FILE_SHARE_READ() | Kernel32.FILE_SHARE_WRITE() | Kernel32.FILE_SHARE_DELETE();
        MemorySegment handle = handles.createFile(arena.allocateFrom(path, StandardCharsets.UTF_16LE), access, share,
                security, disposition);
        if (handle.equals(Kernel32.INVALID_HANDLE_VALUE())) {
            throw WindowsErrors.exception("cannot open \"" + path + "\"", win32.lastError());
        }
        return handle;
    }
}
