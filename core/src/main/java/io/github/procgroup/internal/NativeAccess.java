package io.github.procgroup.internal;

import java.lang.foreign.ValueLayout;

/**
 * Checks, before any generated binding class is touched, that the JVM lets procgroup call native
 * code (JEP 454's restricted methods), and otherwise throws one exception that names the flag.
 *
 * <p>Without the check, a JVM run with {@code --illegal-native-access=deny} (the default JDKs are
 * moving to) fails in the static initialiser of a binding class: an {@code ExceptionInInitializerError}
 * first, then {@code NoClassDefFoundError} on every later use, naming neither the cause nor the fix.
 * This class uses no binding class itself, and is only loaded by the public classes that need native code.
 */
public final class NativeAccess {
    private static volatile boolean checked;

    private NativeAccess() {
    }

    /**
     * @throws IllegalCallerException if procgroup's module (which holds the generated bindings too)
     *                                may not call native code (where the JVM only warns, it warns
     *                                instead); the message names the flag to add
     */
    public static void require() {
        if (checked) {
            return;
        }
        Module core = NativeAccess.class.getModule();
        if (!core.isNativeAccessEnabled()) {
            // Not granted. JDK 22-25 still allow it by default with a warning; under
            // --illegal-native-access=deny every restricted call throws. A harmless restricted call
            // tells which.
            try {
                ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_BYTE);
            } catch (IllegalCallerException denied) {
                throw new IllegalCallerException(message(core), denied);
            }
        }
        checked = true;
    }

    /** @return what to add to the java command line, for where procgroup was loaded from */
    static String message(Module core) {
        String flag = core.isNamed()
                ? "--enable-native-access=" + core.getName()
                : "--enable-native-access=ALL-UNNAMED";
        return "procgroup calls the C library through the FFM API, and this JVM does not allow it native access: "
                + "add " + flag + " to the java command line ("
                + (core.isNamed() ? "procgroup is on the module path" : "procgroup is on the class path; "
                + "an executable jar can instead say Enable-Native-Access: ALL-UNNAMED in its manifest")
                + ")";
    }
}
