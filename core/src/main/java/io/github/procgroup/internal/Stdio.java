package io.github.procgroup.internal;

import java.lang.ProcessBuilder.Redirect;
import java.util.Objects;

/**
 * Where a child's fds 0-2 come from and go to.
 *
 * @param stdin  where fd 0 comes from
 * @param stdout where fd 1 goes
 * @param stderr where fd 2 goes; null when it is a copy of fd 1 (see {@link #errorToOutput()})
 */
public record Stdio(Redirect stdin, Redirect stdout, Redirect stderr) {
    /** Checks that stdin and stdout are set. */
    public Stdio {
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
    }

    /** @return stdio whose stderr is a copy of stdout, as {@code redirectErrorStream(true)} asks */
    public static Stdio errorToOutput(Redirect stdin, Redirect stdout) {
        return new Stdio(stdin, stdout, null);
    }

    /** @return whether fd 2 is a copy of fd 1 */
    public boolean errorToOutput() {
        return stderr == null;
    }
}
