package io.github.procgroup;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a process ended: the decoded wait status of the group leader.
 *
 * <p>Either the process exited by itself ({@link #exited()}, with an {@link #exitCode()})
 * or a signal ended it ({@link #signaled()}, with a {@link #signal()} and perhaps a core dump).
 * {@link #shellCode()} folds both into the number a shell would report: the exit code,
 * or 128 plus the signal number, which is also what {@link Process#exitValue()} returns.
 */
public final class ExitStatus {
    private final int exitCode;
    private final int signalNumber;
    private final boolean coreDumped;

    private ExitStatus(int exitCode, int signalNumber, boolean coreDumped) {
        this.exitCode = exitCode;
        this.signalNumber = signalNumber;
        this.coreDumped = coreDumped;
    }

    /**
     * {@return the status of a process that exited by itself}
     *
     * @param code the code passed to {@code exit}, 0 to 255
     */
    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0, false);
    }

    /**
     * {@return the status of a process that a signal ended}
     *
     * @param signalNumber the number of the signal that ended the process
     * @param coreDumped   whether the kernel wrote a core dump
     */
    public static ExitStatus killedBy(int signalNumber, boolean coreDumped) {
        return new ExitStatus(-1, signalNumber, coreDumped);
    }

    /**
     * Decodes a raw status as {@code waitpid}/{@code wait4} store it (the POSIX
     * {@code WIFEXITED}/{@code WTERMSIG}/{@code WCOREDUMP} macros, Linux encoding).
     *
     * @param rawStatus the status word
     * @return the decoded status
     * @throws IllegalArgumentException if the status is that of a stopped or continued process
     */
    public static ExitStatus fromWaitStatus(int rawStatus) {
        int termSignal = rawStatus & 0x7f;
        if (termSignal == 0) {
            return exited((rawStatus >> 8) & 0xff);
        }
        if (termSignal == 0x7f || rawStatus == 0xffff) {
            throw new IllegalArgumentException("not a termination status: 0x" + Integer.toHexString(rawStatus));
        }
        return killedBy(termSignal, (rawStatus & 0x80) != 0);
    }

    /** {@return true if the process called {@code exit} (or returned from {@code main})} */
    public boolean exited() {
        return signalNumber == 0;
    }

    /** {@return true if the process exited by itself with code 0, what shells and build tools call success} */
    public boolean isSuccess() {
        return exited() && exitCode == 0;
    }

    /** {@return true if a signal ended the process} */
    public boolean signaled() {
        return signalNumber != 0;
    }

    /** {@return the exit code if the process {@linkplain #exited() exited}, else empty} */
    public OptionalInt exitCode() {
        return exited() ? OptionalInt.of(exitCode) : OptionalInt.empty();
    }

    /** {@return the number of the signal that ended the process, else empty} */
    public OptionalInt signalNumber() {
        return signaled() ? OptionalInt.of(signalNumber) : OptionalInt.empty();
    }

    /**
     * {@return the signal that ended the process; empty if it exited, or if the number is not one
     * {@link Signal} names (use {@link #signalNumber()} then)}
     */
    public Optional<Signal> signal() {
        if (!signaled()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Signal.ofNumber(signalNumber));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** {@return true if a signal ended the process and the kernel wrote a core dump} */
    public boolean coreDumped() {
        return coreDumped;
    }

    /** {@return the exit code, or 128 plus the signal number, as a POSIX shell reports it} */
    public int shellCode() {
        return exited() ? exitCode : 128 + signalNumber;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExitStatus s
                && s.exitCode == exitCode && s.signalNumber == signalNumber && s.coreDumped == coreDumped;
    }

    @Override
    public int hashCode() {
        return (exitCode * 31 + signalNumber) * 2 + (coreDumped ? 1 : 0);
    }

    @Override
    public String toString() {
        if (exited()) {
            return "exit " + exitCode;
        }
        String name = signal().map(Signal::signalName).orElse("signal " + signalNumber);
        return "killed by " + name + (coreDumped ? " (core dumped)" : "");
    }
}
