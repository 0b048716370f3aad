package io.github.procgroup.internal.platform;

import io.github.procgroup.internal.Backend;
import io.github.procgroup.internal.linux.LinuxBackend;
import io.github.procgroup.internal.windows.WindowsBackend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Chooses the backend from {@code os.name} and {@code os.arch}, before any native code runs.
 *
 * <p>{@link Supported} is the one list of platforms procgroup has bindings for: a new
 * architecture (the Linux aarch64 bindings, say) is one more constant there. Anything else gets
 * the same {@link UnsupportedOperationException} from every {@link #backend()} call, naming the
 * OS and the architecture; nothing native is loaded on the way, so no
 * {@code ExceptionInInitializerError} or {@code NoClassDefFoundError} can come later. The
 * architecture matters: the generated bindings hard-code struct layouts (the packed
 * {@code epoll_event} of x86_64, for one) that another architecture would misread silently.
 */
public final class Platforms {

    /** The (OS, architecture) pairs with generated bindings, and the backend each one runs. */
    enum Supported {
        LINUX_X86_64("Linux", "x86_64", LinuxBackend::new),
        WINDOWS_X86_64("Windows", "x86_64", WindowsBackend::new);

        /** How {@code os.name} starts ("Windows 11", "Windows Server 2022"). */
        final String osNamePrefix;
        /** The architecture, as {@link #canonicalArch} names it. */
        final String arch;
        final Supplier<Backend> backend;

        Supported(String osNamePrefix, String arch, Supplier<Backend> backend) {
            this.osNamePrefix = osNamePrefix;
            this.arch = arch;
            this.backend = backend;
        }

        @Override
        public String toString() {
            return osNamePrefix + " on " + arch;
        }
    }

    /** The JDK's names for one architecture ({@code os.arch} is "amd64" on x86_64 Linux and Windows). */
    private static final Set<String> X86_64_NAMES = Set.of("amd64", "x86_64", "x64");

    private Platforms() {
    }

    /**
     * @return the backend for this JVM's platform, created on first use
     * @throws UnsupportedOperationException naming the OS and architecture if procgroup has no
     *                                       bindings for them (or the backend could not be
     *                                       created); the same on every call
     */
    public static Backend backend() {
        BackendHolder.Selection selection = BackendHolder.SELECTION;
        if (selection.backend() == null) {
            throw new UnsupportedOperationException(selection.problem(), selection.cause());
        }
        return selection.backend();
    }

    /** @return whether this JVM runs on a supported Linux (where the Linux-only API works) */
    public static boolean isLinux() {
        return PlatformHolder.PLATFORM == Supported.LINUX_X86_64;
    }

    /**
     * @param feature what needs Linux, for example {@code "ParentDeath.signalMe"}
     * @throws UnsupportedOperationException unless this JVM runs on a supported Linux; the
     *                                       message names the OS and architecture found
     */
    public static void requireLinux(String feature) {
        if (!isLinux()) {
            throw new UnsupportedOperationException(feature + " needs " + Supported.LINUX_X86_64 + ", not "
                    + describe(System.getProperty("os.name", ""), System.getProperty("os.arch", "")));
        }
    }

    /** Lazy: merely loading {@link Platforms} reads no property and loads no backend. */
    private static final class PlatformHolder {
        static final Supported PLATFORM = find(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The backend, created once; a failure is kept and reported the same way on every call. */
    private static final class BackendHolder {
        record Selection(Backend backend, String problem, Throwable cause) {
        }

        static final Selection SELECTION = select();

        private static Selection select() {
            String osName = System.getProperty("os.name", "");
            String osArch = System.getProperty("os.arch", "");
            Supported platform = PlatformHolder.PLATFORM;
            if (platform == null) {
                return new Selection(null, "procgroup does not support " + describe(osName, osArch)
                        + ": it has bindings for " + Arrays.stream(Supported.values()).map(Supported::toString)
                        .collect(Collectors.joining(", ")) + " only", null);
            }
            try {
                return new Selection(platform.backend.get(), null, null);
            } catch (RuntimeException | LinkageError e) {
                return new Selection(null, "procgroup could not set up its " + platform + " backend ("
                        + describe(osName, osArch) + "): " + e, e);
            }
        }
    }

    /** @return the supported platform these property values name, or null */
    static Supported find(String osName, String osArch) {
        String arch = canonicalArch(osArch);
        for (Supported platform : Supported.values()) {
            if (osName.startsWith(platform.osNamePrefix) && platform.arch.equals(arch)) {
                return platform;
            }
        }
        return null;
    }

    private static String canonicalArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return X86_64_NAMES.contains(arch) ? "x86_64" : arch;
    }

    private static String describe(String osName, String osArch) {
        return "os.name \"" + osName + "\" on os.arch \"" + osArch + "\"";
    }
}
