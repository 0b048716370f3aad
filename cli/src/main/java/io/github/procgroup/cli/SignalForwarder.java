package io.github.procgroup.cli;

import io.github.procgroup.Signal;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Forwards the signals the JVM receives to the command, in place of the JVM's own reaction (for
 * SIGINT, SIGTERM and SIGHUP: running shutdown hooks and exiting).
 *
 * <p>Handlers are Java code run by the JVM's signal dispatcher ({@code sun.misc.Signal}, in
 * {@code jdk.unsupported}), not native handlers, so no async-signal-safety concern arises.
 * HotSpot keeps SIGQUIT for itself (it prints the thread dump): it is not forwarded, silently, as
 * that is the same on every run. A signal that was ignored when the JVM started (SIGINT and SIGQUIT
 * of a job started with {@code &} by a non-interactive shell, SIGHUP under {@code nohup}) stays
 * ignored, as the JVM keeps it so. Signals that arrive before the command has started are
 * forwarded once it has.
 */
final class SignalForwarder {
    /** What procgroup forwards. */
    static final List<Signal> FORWARDED = List.of(Signal.INT, Signal.TERM, Signal.HUP, Signal.USR1, Signal.USR2);

    private final List<Signal> pending = new ArrayList<>();
    private Consumer<Signal> target;

    /** Installs the handlers. */
    void install() {
        for (Signal signal : FORWARDED) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal.name()), s -> received(signal));
            } catch (IllegalArgumentException reserved) {
                // Only under JVM options that reserve it (-Xrs, a debugger agent): the JVM's reaction stays.
            }
        }
    }

    /** From now on signals go to {@code target}; those received meanwhile go now. */
    synchronized void forwardTo(Consumer<Signal> target) {
        this.target = target;
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
            target.accept(signal);
        } catch (UncheckedIOException e) {
            // EPERM (a member became set-uid): the rest of the group got it; nothing better to do.
            System.err.println("procgroup: " + e.getMessage());
        }
    }
}
