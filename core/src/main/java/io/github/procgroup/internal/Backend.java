package io.github.procgroup.internal;

import io.github.procgroup.internal.linux.LinuxArch;
import io.github.procgroup.internal.linux.LinuxBackend;
import io.github.procgroup.internal.portable.PortableBackend;
import io.github.procgroup.internal.windows.WindowsBackend;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/** Starts children on one operating system. */
public interface Backend {

    /**
     * Starts one child as the leader of a new process group (or job).
     *
     * @param request what to start
     * @return the running child
     * @throws IOException if it could not be started; nothing is left behind then
     */
    ChildProcess spawn(SpawnRequest request) throws IOException;

    /**
     * The system property that chooses the backend: {@value #PORTABLE} forces the portable
     * fallback (also where a native backend exists, e.g. to test it on Linux); unset, a native
     * backend where procgroup has bindings for the OS and architecture, else the fallback.
     */
    String PROPERTY = "procgroup.backend";
    /** The value of {@link #PROPERTY} that forces the portable fallback. */
    String PORTABLE = "portable";

    /** @return the backend for the operating system this JVM runs on */
    static Backend current() {
        return Holder.CURRENT;
    }

    /** Lazy holder, so that merely loading this interface touches no native code. */
    final class Holder {
        private static final Backend CURRENT = select(System.getProperty("os.name", ""),
                System.getProperty("os.arch", ""), System.getProperty(PROPERTY, ""));

        private Holder() {
        }

        /**
         * Linux on x86_64 or aarch64 and Windows on x86_64 get their native backend; anything
         * else (macOS, the BSDs, another architecture) the portable fallback, so that
         * {@code start()} never fails merely because the platform has no native backend.
         */
        private static Backend select(String osName, String osArch, String forced) {
            if (forced.equals(PORTABLE)) {
                return new PortableBackend();
            }
            if (!forced.isEmpty()) {
                // Reported by every start(), not by this initialiser (which would make it an ExceptionInInitializerError).
                return request -> {
                    throw new IllegalArgumentException("-D" + PROPERTY + "=" + forced + ": the only value is " + PORTABLE);
                };
            }
            if (osName.startsWith("Linux") && LinuxArch.find(osArch) != null) {
                return new LinuxBackend();
            }
            if (osName.startsWith("Windows") && Set.of("amd64", "x86_64", "x64").contains(osArch.toLowerCase(Locale.ROOT))) {
                return new WindowsBackend();
            }
            return new PortableBackend();
        }
    }
}
