package io.github.procgroup.internal.linux;

import io.github.procgroup.bindings.linux.pollfd;
import io.github.procgroup.bindings.linux.rusage;
import io.github.procgroup.bindings.linux.timeval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout.PathElement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The struct sizes and field offsets that {@link PollFds}, {@link ResourceUsages} and
 * {@link LinuxArch}'s epoll events use without loading jextract's struct classes are those of the
 * generated layouts (which LinuxLayoutTest and Aarch64LayoutTest check against gcc).
 */
@Timeout(10)
class StructOffsetsTest {

    @Test
    void pollfdIsTheGeneratedLayout() {
        GroupLayout layout = pollfd.layout();
        assertEquals(layout.byteSize(), PollFds.SIZE, "sizeof(struct pollfd)");
        assertEquals(offset(layout, "fd"), PollFds.FD);
        assertEquals(offset(layout, "events"), PollFds.EVENTS);
        assertEquals(offset(layout, "revents"), PollFds.REVENTS);
        assertEquals(layout.byteAlignment(), PollFds.ALIGNMENT);
    }

    @Test
    void rusageAndTimevalAreTheGeneratedLayouts() {
        GroupLayout layout = rusage.layout();
        assertEquals(layout.byteSize(), ResourceUsages.SIZE, "sizeof(struct rusage)");
        assertEquals(rusage.ru_utime$offset(), ResourceUsages.RU_UTIME);
        assertEquals(rusage.ru_stime$offset(), ResourceUsages.RU_STIME);
        assertEquals(rusage.ru_maxrss$offset(), ResourceUsages.RU_MAXRSS, "ru_maxrss, in its anonymous union with __ru_maxrss_word");
        assertEquals(offset(timeval.layout(), "tv_sec"), ResourceUsages.TV_SEC);
        assertEquals(offset(timeval.layout(), "tv_usec"), ResourceUsages.TV_USEC);
        assertTrue(ResourceUsages.ALIGNMENT % layout.byteAlignment() == 0, "alignment");
    }

    @Test
    void eachArchitecturesEpollEventIsItsGeneratedLayout() {
        check(io.github.procgroup.bindings.linux.epoll_event.layout(), LinuxArch.epollEventOf(LinuxArch.Variant.X86_64));
        check(io.github.procgroup.bindings.linux.aarch64.epoll_event.layout(),
                LinuxArch.epollEventOf(LinuxArch.Variant.AARCH64));
    }

    private static void check(GroupLayout layout, LinuxArch.EpollEvent event) {
        assertEquals(layout.byteSize(), event.size(), "sizeof(struct epoll_event)");
        assertEquals(offset(layout, "events"), event.eventsOffset());
        assertEquals(layout.byteOffset(PathElement.groupElement("data"), PathElement.groupElement("fd")), event.fdOffset());
        assertTrue(event.alignment() % layout.byteAlignment() == 0, "alignment");
        assertEquals(0, event.fdOffset() % 4, "data.fd is 4-aligned in every event of an array");
        assertEquals(0, event.size() % 4, "the stride keeps it so");
    }

    private static long offset(GroupLayout layout, String field) {
        return layout.byteOffset(PathElement.groupElement(field));
    }
}
