package io.github.procgroup.internal;

import io.github.procgroup.JobLimits;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
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
 * @param jobLimits           limits for the tree's Windows Job Object
 * @param streamsOutliveLeader whether the pipes stay open after the leader's reap (else they are
 *                            drained into memory and closed then, as the JDK does)
 * @param foreground          whether the child's group is the terminal's foreground group while it runs
 * @param exitHookGrace       how long the shutdown hook lets the tree handle SIGTERM before SIGKILL
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
        JobLimits jobLimits,
        boolean streamsOutliveLeader,
        boolean foreground,
        Duration exitHookGrace) {

    /** @return the program, as the user named it */
    public String program() {
        return command.get(0);
    }
}
