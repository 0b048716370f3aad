package io.github.procgroup.internal.platform;

import io.github.procgroup.internal.Backend;
import io.github.procgroup.internal.linux.LinuxBackend;
import io.github.procgroup.internal.portable.PortableBackend;
import io.github.procgroup.internal.windows.WindowsBackend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses the backend from {@code os.name} and {@code os.arch}, before any native code runs.
 *
 * <p>{@link Supported} is the one list of platforms procgroup has native bindings for (the
 * supported-platforms table of {@code docs/platforms.md}). Anything else gets the portable
 * fallback ({@link PortableBackend}: {@link ProcessBuilder} and {@link ProcessHandle}), so that
 * {@code start()} never fails merely because the platform has no native backend;
 * {@code -Dprocgroup.backend=portable} forces it anywhere. Nothing native is loaded on the way,
 * so no {@code ExceptionInInitializerError} or {@code NoClassDefFoundError} can come later. The
 * architecture matters: the generated bindings hard-code struct layouts (the packed
 * {@code epoll_event} of x86_64, for one) that another architecture would misread silently; the
 * aarch64 differences come from their own generated package ({@code internal.linux.LinuxArch}).
 */
public final class Platforms {

    /** The (OS, architecture) pairs with generated bindings, and the backend each one runs. */
    enum Supported {
        LINUX_X86_64("Linux", "x86_64"),
        /** Compiled and layout-tested on x86_64 (Aarch64LayoutTest), not run on aarch64 yet. */
        LINUX_AARCH64("Linux", "aarch64"),
        WINDOWS_X86_64("Windows", "x86_64");

        /** How {@code os.name} starts ("Windows 11", "Windows Server 2022"). */
        final String osNamePrefix;
        /** The architecture, as {@link #canonicalArch} names it. */
        final String arch;

        Supported(String osNamePrefix, String arch) {
            this.osNamePrefix = osNamePrefix;
            this.arch = arch;
        }

        /** @return a new backend for this platform (no lambdas: this runs in the first start()'s start-up) */
        Backend newBackend() {
            return this == WINDOWS_X86_64 ? new WindowsBackend() : new LinuxBackend();
        }

        @Override
        public String toString() {
            return osNamePrefix + " on " + arch;
        }
    }

    /** The JDK's names for one architecture ({@code os.arch} is "amd64" on x86_64 Linux and Windows). */
    private static final Set<String> X86_64_NAMES = Set.of("amd64", "x86_64", "x64");
    /** {@code os.arch} is "aarch64" on 64-bit ARM Linux; "arm64" is the name other tools use. */
    private static final Set<String> AARCH64_NAMES = Set.of("aarch64", "arm64");
    /** The system property that forces a backend; its one value is {@link #PORTABLE}. */
    public static final String BACKEND_PROPERTY = "procgroup.backend";
    /** The value of {@link #BACKEND_PROPERTY} that forces the portable fallback. */
    public static final String PORTABLE = "portable";

    private Platforms() {
    }

    /**
     * @return the backend for this JVM's platform, created on first use: the native one where
     *         procgroup has bindings, else (or when forced) the portable fallback
     * @throws UnsupportedOperationException naming the OS and architecture if the native backend
     *                                       could not be created; the same on every call
     * @throws IllegalArgumentException      if {@code procgroup.backend} has a value other than
     *                                       {@code portable}; the same on every call
     */
    public static Backend backend() {
        BackendHolder.Selection selection = BackendHolder.SELECTION;
        if (selection.backend() == null) {
            if (selection.cause() instanceof IllegalArgumentException badValue) {
                throw new IllegalArgumentException(badValue.getMessage());
            }
            throw new UnsupportedOperationException(selection.problem(), selection.cause());
        }
        return selection.backend();
    }

    /** @return whether this JVM runs on a supported Linux (where the Linux-only API works) */
    public static boolean isLinux() {
        return PlatformHolder.PLATFORM == Supported.LINUX_X86_64 || PlatformHolder.PLATFORM == Supported.LINUX_AARCH64;
    }

    /**
     * @param feature what needs Linux, for example {@code "ParentDeath.signalMe"}
     * @throws UnsupportedOperationException unless this JVM runs on a supported Linux; the
     *                                       message names the OS and architecture found
     */
    public static void requireLinux(String feature) {
        if (!isLinux()) {
            throw new UnsupportedOperationException(feature + " needs " + Supported.LINUX_X86_64 + " or "
                    + Supported.LINUX_AARCH64 + ", not "
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
            String forced = System.getProperty(BACKEND_PROPERTY, "");
            if (forced.equals(PORTABLE)) {
                return new Selection(new PortableBackend(), null, null);
            }
            if (!forced.isEmpty()) {
                String problem = "-D" + BACKEND_PROPERTY + "=" + forced + ": the only value is " + PORTABLE;
                return new Selection(null, problem, new IllegalArgumentException(problem));
            }
            Supported platform = PlatformHolder.PLATFORM;
            if (platform == null) {
                // No native bindings (native ones exist for the Supported platforms only): the fallback.
                return new Selection(new PortableBackend(), null, null);
            }
            try {
                return new Selection(platform.newBackend(), null, null);
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
        return X86_64_NAMES.contains(arch) ? "x86_64" : AARCH64_NAMES.contains(arch) ? "aarch64" : arch;
    }

    /** @return the names of the platforms with a native backend, for messages */
    static String nativePlatforms() {
        return Arrays.stream(Supported.values()).map(Supported::toString).collect(Collectors.joining(", "));
    }

    private static String describe(String osName, String osArch) {
        return "os.name \"" + osName + "\" on os.arch \"" + osArch + "\"";
    }
}
