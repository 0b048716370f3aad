package io.github.procgroup.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Ends the JVM at once with {@code _exit(2)}, when the launcher asks for it with
 * {@code -Dprocgroup.fastExit=true}. {@code System.exit} costs a short-lived command up to 300 ms:
 * HotSpot's final safepoint waits that long for threads that are inside a native call, and
 * procgroup's exit watcher always is (it blocks in {@code epoll_wait}). Skipping the JVM's exit is
 * safe only once the run is over: the tree has been ended and reaped, so the shutdown hook that
 * would kill it has nothing to do. The launcher does not ask for it on the run that writes the
 * class-data archive, which the JVM dumps during its normal exit.
 */
final class FastExit {
    private FastExit() {
    }

    /**
     * Exits with {@code status}: through {@code _exit} if asked for and the run ended normally, else
     * through {@link System#exit}.
     *
     * @param status      the exit status
     * @param treeIsEnded whether the run ended and reaped everything it started
     */
    static void exit(int status, boolean treeIsEnded) {
        if (treeIsEnded && Boolean.getBoolean("procgroup.fastExit")) {
            System.out.flush();
            System.err.flush();
            try {
                MethodHandle exit = Linker.nativeLinker().downcallHandle(
                        Linker.nativeLinker().defaultLookup().find("_exit").orElseThrow(),
                        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
                exit.invokeExact(status);
            } catch (Throwable fallBack) {
                // No _exit (cannot happen on Linux): the ordinary exit below is only slower.
            }
        }
        System.exit(status);
    }
}
