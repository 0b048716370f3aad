package io.github.procgroup.internal;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;
import java.util.Map;

/**
 * Everything a backend needs to start one child, validated and frozen by the builder.
 *
 * @param command             program and arguments, at least one element, no NUL bytes
 * @param directory           working directory of the child, or null for the JVM's
 * @param environment         the child's whole environment, or null for the JVM's unchanged
 * @param stdin               where the child's fd 0 comes from
 * @param stdout              where the child's fd 1 goes
 * @param stderr              where the child's fd 2 goes (ignored if {@code redirectErrorStream})
 * @param redirectErrorStream whether fd 2 is a copy of fd 1
 * @param newSession          whether the child starts a new session (and so a new group) with setsid
 * @param killOnParentDeath   whether the tree dies with the JVM, even when the JVM is SIGKILLed
 * @param killOnJvmExit       whether the JVM's shutdown hook kills what is left of the tree
 * @param containment         process group or cgroup, and the limits for the tree
 */
public record SpawnRequest(
        List<String> command,
        File directory,
        Map<String, String> environment,
        Redirect stdin,
        Redirect stdout,
        Redirect stderr,
        boolean redirectErrorStream,
        boolean newSession,
        boolean killOnParentDeath,
        boolean killOnJvmExit,
        ContainmentRequest containment) {

    /** @return the program, as the user named it */
    public String program() {
        return command.get(0);
    }
}
