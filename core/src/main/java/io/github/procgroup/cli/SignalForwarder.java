package io.github.procgroup.cli;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.Signal;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards the signals the JVM receives to the command's whole group, in place of the JVM's
 * own reaction (for SIGINT, SIGTERM and SIGHUP: running shutdown hooks and exiting).
 *
 * <p>Handlers are Java code run by the JVM's signal dispatcher ({@code sun.misc.Signal}, in
 * {@code jdk.unsupported}), not native handlers, so no async-signal-safety concern arises.
 * HotSpot refuses SIGQUIT (it prints the thread dump) in every mode; a signal that was
 * ignored when the JVM started (SIGINT and SIGQUIT of a job started with {@code &} by a
 * non-interactive shell, SIGHUP under {@code nohup}) stays ignored, as the JVM keeps it so.
 * Signals that arrive before the command has started are forwarded once it has.
 */
final class SignalForwarder {
    /** What procgroup tries to forward, in the order of the issue. */
    static final List<Signal> FORWARDED =
            List.of(Signal.INT, Signal.TERM, Signal.HUP, Signal.QUIT, Signal.USR1, Signal.USR2);

    private final List<Signal> pending = new ArrayList<>();
    private GroupProcess target;

    /**
     * Installs the handlers.
     *
     * @return the signals the JVM refused, each with the JVM's reason
     */
    List<String> install() {
        List<String> refused = new ArrayList<>();
        for (Signal signal : FORWARDED) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal.name()), s -> received(signal));
            } catch (IllegalArgumentException reserved) {
                refused.add(signal.signalName() + " (" + reserved.getMessage() + ")");
            }
        }
        return refused;
    }

    /** From now on signals go to {@code process}'s group; those received meanwhile go now. */
    synchronized void forwardTo(GroupProcess process) {
        target = process;
        pending.forEach(this::send);
        pending.clear();
    }

    private synchronized void received(Signal signal) {
        if (target == null) {
            pending.add(signal);
        } else {
            send(signal);
        }
    }

    private void send(Signal signal) {
        try {
            target.signal(signal);
        } catch (UncheckedIOException e) {
            // EPERM (a member became set-uid): the rest of the group got it; nothing better to do.
            System.err.println("procgroup: " + e.getMessage());
        }
    }
}
