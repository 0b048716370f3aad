/**
 * The {@code procgroup} command: runs a command as a process tree of its own with a timeout, signal
 * forwarding and full cleanup, like GNU {@code timeout} plus {@code tini}. Built on the public API
 * of {@code io.github.procgroup} only.
 */
module io.github.procgroup.cli {
    requires io.github.procgroup;
    requires jdk.unsupported; // sun.misc.Signal, for signal forwarding
}
