package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.bindings.linux.aarch64.LibCAarch64;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * What the Linux ABI defines differently per architecture, chosen once by {@code os.arch}.
 *
 * <p>The generated bindings in {@code bindings.linux} are x86_64's. On aarch64 the layouts and
 * constants procgroup uses are the same except three, generated separately into
 * {@code bindings.linux.aarch64} (see {@code headers/README.md}): {@code struct epoll_event}
 * (packed, 12 bytes, on x86_64 only; 16 bytes with padding before {@code data} on aarch64),
 * {@code O_DIRECTORY} and {@code O_NOFOLLOW}. Code that needs any of them goes through this
 * class, never through {@code LibC} or the generated {@code epoll_event} directly: read with the
 * other architecture's layout, an epoll event would name the wrong fd and an exit would be
 * missed silently.
 */
public final class LinuxArch {

    /** The Linux architectures procgroup has bindings for. */
    public enum Variant {
        /** x86_64 ({@code os.arch} "amd64" or "x86_64"). */
        X86_64,
        /** 64-bit ARM ({@code os.arch} "aarch64" or "arm64"). */
        AARCH64
    }

    /** Lazy, so that {@link #find} (the platform factory's question) works on any architecture. */
    private static final class Selected {
        static final Variant CURRENT = variantOf(System.getProperty("os.arch", ""));
        static final EpollEvent EPOLL_EVENT = EpollEvent.of(CURRENT);
    }

    private LinuxArch() {
    }

    /**
     * @param osArch a value of {@code os.arch}
     * @return the variant it names, or null if procgroup has no Linux bindings for it
     */
    public static Variant find(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x64" -> Variant.X86_64;
            case "aarch64", "arm64" -> Variant.AARCH64;
            default -> null;
        };
    }

    private static Variant variantOf(String osArch) {
        Variant variant = find(osArch);
        if (variant == null) {
            // Only reached if the platform factory let an unsupported architecture through.
            throw new UnsupportedOperationException("procgroup has no Linux bindings for os.arch \"" + osArch + "\"");
        }
        return variant;
    }

    /** @return the architecture of this JVM */
    public static Variant current() {
        return Selected.CURRENT;
    }

    /** @return {@code O_DIRECTORY} of this architecture */
    public static int oDirectory() {
        return Selected.CURRENT == Variant.AARCH64 ? LibCAarch64.O_DIRECTORY() : LibC.O_DIRECTORY();
    }

    /** @return {@code O_NOFOLLOW} of this architecture */
    public static int oNoFollow() {
        return Selected.CURRENT == Variant.AARCH64 ? LibCAarch64.O_NOFOLLOW() : LibC.O_NOFOLLOW();
    }

    /** @return room for {@code count} events, for {@code epoll_wait} */
    public static MemorySegment allocateEpollEvents(long count, Arena arena) {
        return arena.allocate(Selected.EPOLL_EVENT.size * count, Selected.EPOLL_EVENT.alignment);
    }

    /**
     * @return one event for {@code epoll_ctl}: {@code events} set, {@code data.fd} = {@code fd}
     *         (the rest of {@code data} zero)
     */
    public static MemorySegment epollEvent(int events, int fd, Arena arena) {
        return Selected.EPOLL_EVENT.event(events, fd, arena);
    }

    /** @return the {@code index}th event of an array filled by {@code epoll_wait} */
    public static MemorySegment epollEventAt(MemorySegment events, long index) {
        return Selected.EPOLL_EVENT.at(events, index);
    }

    /** @return the {@code events} bits of one event */
    public static int epollEvents(MemorySegment event) {
        return event.get(ValueLayout.JAVA_INT, Selected.EPOLL_EVENT.eventsOffset);
    }

    /** @return {@code data.fd} of one event */
    public static int epollEventFd(MemorySegment event) {
        return Selected.EPOLL_EVENT.fd(event);
    }

    /** @return the {@code struct epoll_event} of {@code variant}, whatever this JVM runs on (for tests) */
    static EpollEvent epollEventOf(Variant variant) {
        return EpollEvent.of(variant);
    }

    /**
     * One architecture's {@code struct epoll_event}, by its size and field offsets: those of the
     * generated layouts ({@code bindings.linux.epoll_event}, packed, and
     * {@code bindings.linux.aarch64.epoll_event}; {@code StructOffsetsTest} checks them), used here
     * rather than jextract's classes, which build a var handle for each field at their first use:
     * a first spawn's cost. {@code data.fd} is the int at the start of the {@code data} union: at
     * a 4-aligned offset in any event of an array, on both.
     *
     * @param size         sizeof(struct epoll_event), also the stride of an epoll_wait array
     * @param alignment    what an array is allocated aligned to
     * @param eventsOffset offsetof(struct epoll_event, events)
     * @param fdOffset     offsetof(struct epoll_event, data.fd)
     */
    record EpollEvent(long size, long alignment, long eventsOffset, long fdOffset) {
        /** x86_64: packed, 12 bytes, data right after events. */
        static final EpollEvent X86_64 = new EpollEvent(12, 4, 0, 4);
        /** aarch64: 16 bytes, data 8-aligned after 4 bytes of padding. */
        static final EpollEvent AARCH64 = new EpollEvent(16, 8, 0, 8);

        MemorySegment event(int bits, int descriptor, Arena arena) {
            MemorySegment event = arena.allocate(size, alignment);
            event.set(ValueLayout.JAVA_INT, eventsOffset, bits);
            event.set(ValueLayout.JAVA_INT, fdOffset, descriptor);
            return event;
        }

        MemorySegment at(MemorySegment array, long index) {
            return array.asSlice(index * size, size);
        }

        int fd(MemorySegment event) {
            return event.get(ValueLayout.JAVA_INT, fdOffset);
        }

        static EpollEvent of(Variant variant) {
            return variant == Variant.AARCH64 ? AARCH64 : X86_64;
        }
    }
}
