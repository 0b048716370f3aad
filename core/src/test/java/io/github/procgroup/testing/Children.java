package io.github.procgroup.testing;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers for tests that start children and look at what they wrote. */
public final class Children {
    private Children() {
    }

    /** @return everything left in {@code in}, as UTF-8 */
    public static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Runs {@code builder} to the end, stdin closed at once; @return its stdout as UTF-8 */
    public static String output(GroupProcessBuilder builder) throws IOException, InterruptedException {
        try (GroupProcess p = builder.start()) {
            p.getOutputStream().close();
            String out = text(p.getInputStream());
            p.waitFor();
            return out;
        }
    }

    /**
     * Starts and reaps one child, so that the classes are loaded and the exit watcher (whose
     * epoll fd must not count as a leak) runs before a test takes its "before" picture.
     */
    public static void warmUp() throws IOException, InterruptedException {
        try (GroupProcess p = new GroupProcessBuilder("true").start()) {
            p.waitFor();
        }
    }
}
