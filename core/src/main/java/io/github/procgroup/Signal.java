package io.github.procgroup;

import io.github.procgroup.bindings.linux.LibC;

/**
 * The POSIX signals procgroup can send to a process group, with their Linux numbers.
 *
 * <p>Numbers come from the generated Linux bindings; they are the same on every Linux
 * architecture procgroup supports (x86_64, aarch64) for the signals listed here.
 * On Windows only {@link #KILL} and {@link #TERM} have a meaning (see the README).
 */
public enum Signal {
    /** Hangup. */ HUP(LibC.SIGHUP()),
    /** Interrupt from the keyboard. */ INT(LibC.SIGINT()),
    /** Quit from the keyboard. */ QUIT(LibC.SIGQUIT()),
    /** Illegal instruction. */ ILL(LibC.SIGILL()),
    /** Trace trap. */ TRAP(LibC.SIGTRAP()),
    /** Abort. */ ABRT(LibC.SIGABRT()),
    /** Bus error. */ BUS(LibC.SIGBUS()),
    /** Floating-point exception. */ FPE(LibC.SIGFPE()),
    /** Kill; cannot be caught or ignored. */ KILL(LibC.SIGKILL()),
    /** User-defined signal 1. */ USR1(LibC.SIGUSR1()),
    /** Segmentation fault. */ SEGV(LibC.SIGSEGV()),
    /** User-defined signal 2. */ USR2(LibC.SIGUSR2()),
    /** Broken pipe. */ PIPE(LibC.SIGPIPE()),
    /** Alarm clock. */ ALRM(LibC.SIGALRM()),
    /** Termination request. */ TERM(LibC.SIGTERM()),
    /** Child stopped or terminated. */ CHLD(LibC.SIGCHLD()),
    /** Continue if stopped. */ CONT(LibC.SIGCONT()),
    /** Stop; cannot be caught or ignored. */ STOP(LibC.SIGSTOP()),
    /** Stop from the terminal. */ TSTP(LibC.SIGTSTP()),
    /** Background read from the terminal. */ TTIN(LibC.SIGTTIN()),
    /** Background write to the terminal. */ TTOU(LibC.SIGTTOU()),
    /** Urgent data on a socket. */ URG(LibC.SIGURG()),
    /** CPU time limit exceeded. */ XCPU(LibC.SIGXCPU()),
    /** File size limit exceeded. */ XFSZ(LibC.SIGXFSZ()),
    /** Virtual alarm clock. */ VTALRM(LibC.SIGVTALRM()),
    /** Profiling timer expired. */ PROF(LibC.SIGPROF()),
    /** Window size change. */ WINCH(LibC.SIGWINCH()),
    /** I/O now possible. */ IO(LibC.SIGIO()),
    /** Power failure. */ PWR(LibC.SIGPWR()),
    /** Bad system call. */ SYS(LibC.SIGSYS());

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /** @return the signal number on Linux, for example 9 for {@link #KILL} */
    public int number() {
        return number;
    }

    /** @return the conventional name with its {@code SIG} prefix, for example {@code SIGKILL} */
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
