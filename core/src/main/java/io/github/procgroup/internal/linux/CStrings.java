package io.github.procgroup.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * NULL-terminated arrays of C strings for argv and envp. Strings are encoded as UTF-8 whatever
 * the JVM's locale (the JDK uses sun.jnu.encoding, which turns non-ASCII into '?' under the C locale).
 */
final class CStrings {
    private CStrings() {
    }

    /** @return a {@code char*[]} of {@code strings} followed by NULL, allocated in {@code arena} */
    static MemorySegment array(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(strings.get(i), StandardCharsets.UTF_8));
        }
        array.setAtIndex(ValueLayout.ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /** @return a {@code char*[]} of {@code KEY=VALUE} entries followed by NULL */
    static MemorySegment environment(Arena arena, Map<String, String> environment) {
        return array(arena, environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /**
     * @return a copy of the {@code char*[]} {@code envp} (its strings shared, not copied) with
     *         {@code entry} added before the NULL
     */
    static MemorySegment withEntry(Arena arena, MemorySegment envp, String entry) {
        MemorySegment in = envp.reinterpret(Long.MAX_VALUE);
        long n = 0;
        while (!in.getAtIndex(ValueLayout.ADDRESS, n).equals(MemorySegment.NULL)) {
            n++;
        }
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS, n + 2);
        MemorySegment.copy(in, 0, out, 0, n * ValueLayout.ADDRESS.byteSize());
        out.setAtIndex(ValueLayout.ADDRESS, n, arena.allocateFrom(entry, StandardCharsets.UTF_8));
        out.setAtIndex(ValueLayout.ADDRESS, n + 1, MemorySegment.NULL);
        return out;
    }
}
