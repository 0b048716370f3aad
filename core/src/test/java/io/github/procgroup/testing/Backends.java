package io.github.procgroup.testing;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which backend the tests run against: the native one, or the portable fallback (forced with
 * {@code -Dprocgroup.backend=portable}, as the {@code portable-backend} Surefire execution does,
 * or on a platform without a native backend). Tests of what only the native backend promises
 * (process groups, sessions, signals other than TERM and KILL, kill on parent death, resource
 * usage, program lookup in the child's PATH) skip under the fallback with the reason.
 */
public final class Backends {
    private Backends() {
    }

    /** @return whether procgroup runs its portable fallback in this JVM */
    public static boolean portable() {
        if ("portable".equals(System.getProperty("procgroup.backend"))) {
            return true;
        }
        String os = System.getProperty("os.name", "");
        return !(os.startsWith("Linux") || os.startsWith("Windows"));
    }

    /** Skips the calling test under the portable fallback, which does not promise {@code what}. */
    public static void assumeNative(String what) {
        assumeFalse(portable(), "the portable fallback does not promise this: " + what);
    }

    /** Skips the calling test unless the portable fallback runs. */
    public static void assumePortable() {
        assumeTrue(portable(), "tests the portable fallback: run with -Dprocgroup.backend=portable "
                + "(the portable-backend Surefire execution does)");
    }
}
