package io.github.procgroup.cli;

import java.lang.reflect.InvocationTargetException;

/**
 * The runnable jar's entry point, compiled for Java 8 so that any JVM can load it: on a JVM older
 * than the command needs it says so in one line and exits 125 (procgroup's own failure, as GNU
 * timeout uses it), instead of an {@code UnsupportedClassVersionError}. Otherwise it hands over to
 * {@code Main}, which it reaches by reflection: a direct reference would not compile for 8.
 */
public final class Entry {
    /** The oldest Java feature release the command runs on (the FFM API is final from 22). */
    static final int REQUIRED = 22;
    /** GNU timeout's status for a failure of the tool itself. */
    static final int FAILED = 125;

    private Entry() {
    }

    /**
     * Checks the JVM's version, then runs the command.
     *
     * @param args the command line
     * @throws Throwable whatever the command's main throws
     */
    public static void main(String[] args) throws Throwable {
        int feature = featureVersion(System.getProperty("java.specification.version"));
        if (feature < REQUIRED) {
            System.err.println("procgroup needs Java " + REQUIRED + " or newer; this is "
                    + System.getProperty("java.specification.version")
                    + " (java.home=" + System.getProperty("java.home") + ")");
            System.exit(FAILED);
        }
        try {
            Class.forName("io.github.procgroup.cli.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** @return the feature release in {@code 1.8} (8) or {@code 17} (17) form; 0 if unreadable */
    static int featureVersion(String specification) {
        String v = specification == null ? "" : specification;
        if (v.startsWith("1.")) {
            v = v.substring(2);
        }
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }
}
