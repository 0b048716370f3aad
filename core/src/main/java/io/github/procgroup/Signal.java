package io.github.procgroup;

/**
 * The POSIX signals procgroup can send to a process group, with their Linux numbers.
 *
 * <p>The numbers are written here, not read from the bindings, so that this enum loads and
 * {@link #valueOf(String)} works on every platform, supported or not. They are Linux's
 * generic numbering, which x86_64 and aarch64 share for every signal listed (a test checks
 * them against the generated x86_64 bindings). Other POSIX systems number some signals
 * differently (USR1 is 30 on macOS); procgroup does not run there. On Windows only
 * {@link #KILL}, {@link #TERM} and {@link #INT} have a meaning (see docs/windows.md).
 */
public enum Signal {
    /** Hangup. */ HUP(1),
    /** Interrupt from the keyboard. */ INT(2),
    /** Quit from the keyboard. */ QUIT(3),
    /** Illegal instruction. */ ILL(4),
    /** Trace trap. */ TRAP(5),
    /** Abort. */ ABRT(6),
    /** Bus error. */ BUS(7),
    /** Floating-point exception. */ FPE(8),
    /** Kill; cannot be caught or ignored. */ KILL(9),
    /** User-defined signal 1. */ USR1(10),
    /** Segmentation fault. */ SEGV(11),
    /** User-defined signal 2. */ USR2(12),
    /** Broken pipe. */ PIPE(13),
    /** Alarm clock. */ ALRM(14),
    /** Termination request. */ TERM(15),
    /** Child stopped or terminated. */ CHLD(17),
    /** Continue if stopped. */ CONT(18),
    /** Stop; cannot be caught or ignored. */ STOP(19),
    /** Stop from the terminal. */ TSTP(20),
    /** Background read from the terminal. */ TTIN(21),
    /** Background write to the terminal. */ TTOU(22),
    /** Urgent data on a socket. */ URG(23),
    /** CPU time limit exceeded. */ XCPU(24),
    /** File size limit exceeded. */ XFSZ(25),
    /** Virtual alarm clock. */ VTALRM(26),
    /** Profiling timer expired. */ PROF(27),
    /** Window size change. */ WINCH(28),
    /** I/O now possible. */ IO(29),
    /** Power failure. */ PWR(30),
    /** Bad system call. */ SYS(31);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /**
     * Returns the signal number on Linux, for example 9 for {@link #KILL}.
     *
     * @return the signal number on Linux, for example 9 for {@link #KILL}
     */
    public int number() {
        return number;
    }

    /**
     * Returns the conventional name with its {@code SIG} prefix, for example {@code SIGKILL}.
     *
     * @return the conventional name with its {@code SIG} prefix, for example {@code SIGKILL}
     */
    public String signalName() {
        return "SIG" + name();
    }

    /**
     * Looks a signal up by its Linux number.
     *
     * @param number a signal number, for example 15
     * @return the signal with that number
     * @throws IllegalArgumentException if procgroup does not know the number (real-time signals included)
     */
    public static Signal ofNumber(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown signal number " + number);
    }
}
