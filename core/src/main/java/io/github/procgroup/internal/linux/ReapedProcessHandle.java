package io.github.procgroup.internal.linux;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The handle of a child procgroup has reaped before anyone asked for its handle: the JDK can make
 * none any more (its pid may name another process by now), so this one answers for the dead
 * process: alive never, no parent, children or information, exited already.
 */
final class ReapedProcessHandle implements ProcessHandle {
    private final long pid;

    ReapedProcessHandle(long pid) {
        this.pid = pid;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Optional<ProcessHandle> parent() {
        return Optional.empty();
    }

    @Override
    public Stream<ProcessHandle> children() {
        return Stream.empty();
    }

    @Override
    public Stream<ProcessHandle> descendants() {
        return Stream.empty();
    }

    @Override
    public Info info() {
        return NoInfo.INSTANCE;
    }

    @Override
    public CompletableFuture<ProcessHandle> onExit() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    /** @return false: the process is gone, as the JDK's handle of a dead process answers */
    @Override
    public boolean destroy() {
        return false;
    }

    /** @return false, as {@link #destroy()} */
    @Override
    public boolean destroyForcibly() {
        return false;
    }

    @Override
    public boolean isAlive() {
        return false;
    }

    @Override
    public int compareTo(ProcessHandle other) {
        return Long.compare(pid, other.pid());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReapedProcessHandle h && h.pid == pid;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pid);
    }

    /** @return the pid, as the JDK's handles print */
    @Override
    public String toString() {
        return String.valueOf(pid);
    }

    /** What is known of a reaped process: nothing. */
    private static final class NoInfo implements Info {
        static final NoInfo INSTANCE = new NoInfo();

        @Override
        public Optional<String> command() {
            return Optional.empty();
        }

        @Override
        public Optional<String> commandLine() {
            return Optional.empty();
        }

        @Override
        public Optional<String[]> arguments() {
            return Optional.empty();
        }

        @Override
        public Optional<java.time.Instant> startInstant() {
            return Optional.empty();
        }

        @Override
        public Optional<java.time.Duration> totalCpuDuration() {
            return Optional.empty();
        }

        @Override
        public Optional<String> user() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "[]";
        }
    }
}
