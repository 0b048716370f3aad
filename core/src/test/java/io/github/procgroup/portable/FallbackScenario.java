package io.github.procgroup.portable;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.GroupProcessBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Run in a JVM told it is on another platform ({@code -Dos.name="Mac OS X"}): starts a tree,
 * reads its output, terminates it, and prints what it saw as {@code key=value} lines.
 */
public final class FallbackScenario {
    private FallbackScenario() {
    }

    public static void main(String[] args) throws Exception {
        try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "echo hello; sleep 600 & sleep 601").start()) {
            System.out.println("containment=" + p.containment());
            System.out.println("output=" + p.inputReader(StandardCharsets.UTF_8).readLine());
            System.out.println("status=" + p.terminate(Duration.ofSeconds(10)));
            System.out.println("tree=" + p.tree());
        }
    }
}
