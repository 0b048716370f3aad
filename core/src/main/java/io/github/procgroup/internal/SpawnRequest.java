package io.github.procgroup.internal;

import io.github.procgroup.WindowsOptions;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a backend needs to start one child, validated and frozen by the builder. Each part
 * has a type of its own, so no two can be swapped by position.
 *
 * <p>Which backend honours what: the command, directory, environment, stdio and
 * {@link KillTrigger}s every backend; the {@link GroupPlacement} the POSIX backend (a Windows
 * child always gets a job and a console group of its own); {@link WindowsOptions} the Windows
 * backend only, and the others never read them.
 *
 * @param command      program and arguments, at least one element, no NUL bytes
 * @param directory    working directory of the child, or null for the JVM's
 * @param environment  the child's whole environment, or null for the JVM's unchanged
 * @param stdio        the child's fds 0-2
 * @param placement    which process group the child goes into
 * @param killTriggers when procgroup kills the tree besides the user's calls
 * @param windows      what only the Windows backend reads
 * @param lifecycle    the streams at the leader's reap, the terminal, the exit hook's grace (POSIX backend)
 */
public record SpawnRequest(
        List<String> command,
        File directory,
        Map<String, String> environment,
        Stdio stdio,
        GroupPlacement placement,
        Set<KillTrigger> killTriggers,
        WindowsOptions windows,
        ChildLifecycle lifecycle) {

    /** Freezes the collections and checks that nothing required is missing. */
    public SpawnRequest {
        command = List.copyOf(command);
        environment = environment == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        Objects.requireNonNull(stdio, "stdio");
        Objects.requireNonNull(placement, "placement");
        killTriggers = Set.copyOf(killTriggers);
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** A request with {@link ChildLifecycle#DEFAULT}, for procgroup's own helpers and tests. */
    public SpawnRequest(List<String> command, File directory, Map<String, String> environment, Stdio stdio,
                        GroupPlacement placement, Set<KillTrigger> killTriggers, WindowsOptions windows) {
        this(command, directory, environment, stdio, placement, killTriggers, windows, ChildLifecycle.DEFAULT);
    }

    /** @return whether the pipes stay open after the leader's reap */
    public boolean streamsOutliveLeader() {
        return lifecycle.streamsOutliveLeader();
    }

    /** @return whether the child's group is the terminal's foreground group while it runs */
    public boolean foreground() {
        return lifecycle.foreground();
    }

    /** @return how long the shutdown hook lets the tree handle SIGTERM before SIGKILL */
    public java.time.Duration exitHookGrace() {
        return lifecycle.exitHookGrace();
    }

    /** @return the program, as the user named it */
    public String program() {
        return command.get(0);
    }

    /** @return where fd 0 comes from */
    public Redirect stdin() {
        return stdio.stdin();
    }

    /** @return where fd 1 goes */
    public Redirect stdout() {
        return stdio.stdout();
    }

    /** @return where fd 2 goes; null if {@link #redirectErrorStream()} */
    public Redirect stderr() {
        return stdio.stderr();
    }

    /** @return whether fd 2 is a copy of fd 1 */
    public boolean redirectErrorStream() {
        return stdio.errorToOutput();
    }

    /** @return whether the tree dies with the JVM, even when the JVM is SIGKILLed */
    public boolean killOnParentDeath() {
        return killTriggers.contains(KillTrigger.PARENT_DEATH);
    }

    /** @return whether the JVM's shutdown hook kills what is left of the tree */
    public boolean killOnJvmExit() {
        return killTriggers.contains(KillTrigger.JVM_EXIT);
    }
}
