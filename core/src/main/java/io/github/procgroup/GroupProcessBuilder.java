package io.github.procgroup;

import io.github.procgroup.internal.Backend;
import io.github.procgroup.internal.NativeAccess;
import io.github.procgroup.internal.SpawnRequest;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts a {@link GroupProcess}: a child that leads a process group of its own, so that it and
 * every descendant that stays in the group can be signalled, killed and reaped as one.
 *
 * <p>Mirrors {@link ProcessBuilder}: the same command, directory, environment and redirect
 * methods, with {@link Redirect} reused. A builder is not thread-safe; {@link #start()} may be
 * called many times.
 *
 * <pre>{@code
 * try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "echo hi; sleep 60 & wait")
 *         .redirectErrorStream(true)
 *         .start()) {
 *     String first = new String(p.getInputStream().readNBytes(3));
 *     ExitStatus status = p.terminate(Duration.ofSeconds(2)); // TERM to the group, KILL after 2 s
 * }
 * }</pre>
 */
public final class GroupProcessBuilder {
    private static final String EINVAL = "EINVAL";
    private static final int EINVAL_NUMBER = 22; // the same on Linux, macOS and in the Windows CRT
    /** The default of {@link #exitHookGrace(Duration)}. */
    public static final Duration DEFAULT_EXIT_HOOK_GRACE = Duration.ofSeconds(3);

    private List<String> command;
    private File directory;
    private Map<String, String> environment;
    private final Redirect[] redirects = {Redirect.PIPE, Redirect.PIPE, Redirect.PIPE};
    private boolean redirectErrorStream;
    private boolean newSession;
    private boolean killOnParentDeath;
    private boolean killOnJvmExit = true;
    private JobLimits jobLimits = JobLimits.NONE;
    private boolean streamsOutliveLeader;
    private boolean foreground;
    private Duration exitHookGrace = DEFAULT_EXIT_HOOK_GRACE;

    /** @param command the program and its arguments */
    public GroupProcessBuilder(List<String> command) {
        this.command = Objects.requireNonNull(command, "command");
    }

    /** @param command the program and its arguments */
    public GroupProcessBuilder(String... command) {
        this(new ArrayList<>(Arrays.asList(command)));
    }

    /** @return the command list, live: changes to it change what {@link #start()} runs */
    public List<String> command() {
        return command;
    }

    /**
     * @param command the program and its arguments
     * @return this builder
     */
    public GroupProcessBuilder command(List<String> command) {
        this.command = Objects.requireNonNull(command, "command");
        return this;
    }

    /**
     * @param command the program and its arguments
     * @return this builder
     */
    public GroupProcessBuilder command(String... command) {
        return command(new ArrayList<>(Arrays.asList(command)));
    }

    /** @return the child's working directory, or null for the JVM's */
    public File directory() {
        return directory;
    }

    /**
     * @param directory the child's working directory, or null for the JVM's
     * @return this builder
     */
    public GroupProcessBuilder directory(File directory) {
        this.directory = directory;
        return this;
    }

    /**
     * @param directory the child's working directory, or null for the JVM's
     * @return this builder
     */
    public GroupProcessBuilder directory(Path directory) {
        return directory(directory == null ? null : directory.toFile());
    }

    /**
     * The child's environment: on first call a copy of the JVM's, to edit in place. Without a
     * call the child gets the JVM's environment unchanged. Keys and values may not contain NUL,
     * and keys not '=' (checked by {@link #start()}); an empty key is passed on as the JDK does
     * ({@code "=value"}). A PATH set here is the child's; the program itself is looked up in the
     * JVM's PATH, as the JDK does (see {@link #start()}).
     *
     * @return the live, modifiable environment map
     */
    public Map<String, String> environment() {
        if (environment == null) {
            environment = new LinkedHashMap<>(System.getenv());
        }
        return environment;
    }

    /**
     * @param source where the child's stdin comes from (PIPE, INHERIT, or a file to read)
     * @return this builder
     */
    public GroupProcessBuilder redirectInput(Redirect source) {
        if (source.type() == Redirect.Type.WRITE || source.type() == Redirect.Type.APPEND) {
            throw new IllegalArgumentException("Redirect invalid for reading: " + source);
        }
        redirects[0] = source;
        return this;
    }

    /**
     * @param destination where the child's stdout goes (PIPE, INHERIT, DISCARD, or a file)
     * @return this builder
     */
    public GroupProcessBuilder redirectOutput(Redirect destination) {
        redirects[1] = checkWritable(destination);
        return this;
    }

    /**
     * @param destination where the child's stderr goes (PIPE, INHERIT, DISCARD, or a file)
     * @return this builder
     */
    public GroupProcessBuilder redirectError(Redirect destination) {
        redirects[2] = checkWritable(destination);
        return this;
    }

    private static Redirect checkWritable(Redirect destination) {
        if (destination.type() == Redirect.Type.READ) {
            throw new IllegalArgumentException("Redirect invalid for writing: " + destination);
        }
        return destination;
    }

    /**
     * @param file the file the child reads its stdin from
     * @return this builder
     */
    public GroupProcessBuilder redirectInput(File file) {
        return redirectInput(Redirect.from(file));
    }

    /**
     * @param file the file the child's stdout replaces
     * @return this builder
     */
    public GroupProcessBuilder redirectOutput(File file) {
        return redirectOutput(Redirect.to(file));
    }

    /**
     * @param file the file the child's stderr replaces
     * @return this builder
     */
    public GroupProcessBuilder redirectError(File file) {
        return redirectError(Redirect.to(file));
    }

    /** @return where the child's stdin comes from */
    public Redirect redirectInput() {
        return redirects[0];
    }

    /** @return where the child's stdout goes */
    public Redirect redirectOutput() {
        return redirects[1];
    }

    /** @return where the child's stderr goes */
    public Redirect redirectError() {
        return redirects[2];
    }

    /**
     * The child uses the JVM's stdin, stdout and stderr.
     *
     * @return this builder
     */
    public GroupProcessBuilder inheritIO() {
        Arrays.fill(redirects, Redirect.INHERIT);
        return this;
    }

    /** @return whether the child's stderr is merged into its stdout */
    public boolean redirectErrorStream() {
        return redirectErrorStream;
    }

    /**
     * @param redirectErrorStream merge the child's stderr into its stdout
     * @return this builder
     */
    public GroupProcessBuilder redirectErrorStream(boolean redirectErrorStream) {
        this.redirectErrorStream = redirectErrorStream;
        return this;
    }

    /** @return whether the child starts a new session */
    public boolean newSession() {
        return newSession;
    }

    /**
     * Starts the child in a new session ({@code setsid}) instead of only a new process group in
     * the JVM's session. The child then has no controlling terminal, and terminal signals
     * (Ctrl-C in the JVM's terminal) no longer reach it.
     *
     * @param newSession whether to start a new session
     * @return this builder
     */
    public GroupProcessBuilder newSession(boolean newSession) {
        this.newSession = newSession;
        return this;
    }

    /** @return whether the tree dies with the JVM, even when the JVM is killed with SIGKILL */
    public boolean killOnParentDeath() {
        return killOnParentDeath;
    }

    /**
     * Makes the child's tree die when the JVM dies in any way, SIGKILL and crashes included
     * (Linux). procgroup adds a helper process (a {@code /bin/sh}) to the child's group that
     * ignores SIGTERM, SIGHUP and the like and waits on a pipe whose write end only the JVM holds:
     * when the JVM dies the kernel closes that end, and the helper SIGKILLs the whole group. The
     * helper is procgroup's own: it is not in {@link GroupProcess#members()}, and it ends with the
     * tree. What still escapes: processes that left the group ({@code setsid}, {@code setpgid}).
     * The helper can only join a group in the JVM's session, so this cannot be combined with
     * {@link #newSession(boolean)}. Off by default: it costs a second spawn.
     *
     * @param killOnParentDeath whether the tree dies with the JVM
     * @return this builder
     */
    public GroupProcessBuilder killOnParentDeath(boolean killOnParentDeath) {
        this.killOnParentDeath = killOnParentDeath;
        return this;
    }

    /** @return whether the JVM's shutdown hook kills what is left of the tree */
    public boolean killOnJvmExit() {
        return killOnJvmExit;
    }

    /**
     * Whether procgroup's shutdown hook ends what is left of this tree when the JVM exits
     * normally ({@code System.exit}, the last non-daemon thread ending, SIGTERM, SIGINT or SIGHUP
     * to the JVM): SIGTERM, then SIGKILL after {@link #exitHookGrace(Duration)}. On by default: a
     * tree outliving the program that started it is what procgroup exists to prevent. This is a
     * difference from {@link ProcessBuilder}, whose children keep running when the JVM exits. Turn it off for a child meant to outlive the JVM. The hook does not run
     * when the JVM is killed with SIGKILL or crashes: see {@link #killOnParentDeath(boolean)}.
     *
     * @param killOnJvmExit whether the shutdown hook kills the tree
     * @return this builder
     */
    public GroupProcessBuilder killOnJvmExit(boolean killOnJvmExit) {
        this.killOnJvmExit = killOnJvmExit;
        return this;
    }

    /** @return how long the shutdown hook lets this tree handle SIGTERM before it SIGKILLs it */
    public Duration exitHookGrace() {
        return exitHookGrace;
    }

    /**
     * How the shutdown hook of {@link #killOnJvmExit(boolean)} ends this tree: SIGTERM (and
     * SIGCONT) to the tree, up to {@code grace} for it to exit, then SIGKILL to what is left.
     * The hook ends every tree at once, so the JVM's exit waits at most the longest grace of the
     * trees still running (plus a moment for SIGKILL). {@link Duration#ZERO}: SIGKILL at once.
     * Default {@link #DEFAULT_EXIT_HOOK_GRACE} (3 s): enough for a server to flush its state, short
     * enough that an exit does not seem to hang. Keep it short: the other shutdown hooks of the
     * JVM run at the same time, and a JVM stopped by SIGKILL meanwhile runs no grace at all.
     * Linux; on Windows the tree's Job Object ends it at once when the JVM exits.
     *
     * @param grace how long the tree may take to exit after SIGTERM, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public GroupProcessBuilder exitHookGrace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("exitHookGrace must not be negative: " + grace);
        }
        this.exitHookGrace = grace;
        return this;
    }

    /** @return whether the pipes stay open after the leader is reaped */
    public boolean streamsOutliveLeader() {
        return streamsOutliveLeader;
    }

    /**
     * Whether the stdout, stderr and stdin pipes stay open after the leader is reaped.
     *
     * <p>Off by default, as with the JDK: when the exit watcher reaps the leader, what the stdout
     * and stderr pipes still buffer is read into memory and their fds are closed, and so is the
     * stdin pipe. Reading after {@link GroupProcess#waitFor()} then gives everything the leader
     * wrote and ends at once, even while a process it left running in the background holds the
     * pipe (output written by such a process after the reap is lost, as with the JDK), and a
     * child that is waited for but never closed holds no fd.
     *
     * <p>On: the pipes stay open until the stream, or the {@link GroupProcess}, is closed, so the
     * output of the whole tree stays readable after the leader exits; a read then ends only when
     * every process holding the pipe has closed it. Close the process (try-with-resources) in this
     * mode, or its fds stay open until then.
     *
     * <p>Linux; on Windows the pipes stay open until closed, as with this option on.
     *
     * @param streamsOutliveLeader whether the pipes stay open after the leader's reap
     * @return this builder
     */
    public GroupProcessBuilder streamsOutliveLeader(boolean streamsOutliveLeader) {
        this.streamsOutliveLeader = streamsOutliveLeader;
        return this;
    }

    /** @return whether the child's group is made the terminal's foreground group while it runs */
    public boolean foreground() {
        return foreground;
    }

    /**
     * Runs the child in the foreground of the JVM's controlling terminal, as a shell runs a job
     * (Linux). The child's group leads a group of its own, which is not the terminal's foreground
     * group; per POSIX job control, a background group that reads the terminal is stopped with
     * SIGTTIN (and one that changes the terminal's modes with SIGTTOU), where a
     * {@link ProcessBuilder} child, in the JVM's own group, reads it normally. With this option
     * {@link #start()} makes the child's group the terminal's foreground process group
     * ({@code tcsetpgrp}, with SIGTTOU blocked around it, as a shell does) and gives the terminal
     * back to the group that had it when the leader is reaped. Ctrl-C in the terminal then reaches
     * the child's group and no longer the JVM.
     *
     * <p>Effective only when the JVM has a controlling terminal (stdin, stdout or stderr of the JVM
     * is one) and its group is the terminal's foreground group: otherwise there is nothing to hand
     * over, and the child starts as without it. Cannot be combined with {@link #newSession(boolean)}
     * (a new session has no controlling terminal). Off by default.
     *
     * @param foreground whether the child gets the terminal's foreground while it runs
     * @return this builder
     */
    public GroupProcessBuilder foreground(boolean foreground) {
        this.foreground = foreground;
        return this;
    }

    /** @return the Windows Job Object limits for the tree */
    public JobLimits jobLimits() {
        return jobLimits;
    }

    /**
     * Limits for the whole tree, enforced by its Windows Job Object: active process count, the
     * tree's committed memory, CPU time per process. Windows only: on Linux {@link #start()}
     * throws {@link UnsupportedOperationException} if any limit is set.
     *
     * @param jobLimits the limits ({@link JobLimits#NONE} for none)
     * @return this builder
     */
    public GroupProcessBuilder jobLimits(JobLimits jobLimits) {
        this.jobLimits = Objects.requireNonNull(jobLimits, "jobLimits");
        return this;
    }

    /**
     * Starts the child as the leader of a new process group.
     *
     * <p>A program name without a slash is looked up exactly as the JDK does: in the <em>JVM's</em>
     * PATH ({@code System.getenv("PATH")}, or {@code /bin:/usr/bin} if the JVM has none), also when
     * {@link #environment()} clears PATH or sets another one (that PATH is the child's, not where the
     * program is found). An empty PATH entry, or a relative one, is relative to the child's
     * directory. If a candidate exists but cannot be executed the search goes on, and fails with
     * EACCES rather than ENOENT. A name with a slash is used as it is, relative to the child's
     * directory. A file the kernel cannot exec (ENOEXEC: a script without {@code #!}) is run by
     * {@code /bin/sh}, as the JDK does.
     *
     * @throws ErrnoException if the command is empty or holds a NUL byte, or the environment a NUL
     *                        byte or a bad name (EINVAL), the program is missing (ENOENT) or not
     *                        executable (EACCES), the directory is missing (ENOENT) or not a
     *                        directory (ENOTDIR), or a redirect file cannot be opened; the message
     *                        names the offending value and nothing is left behind
     * @throws IOException    if the pipes cannot be set up
     * @throws IllegalStateException if {@link #killOnParentDeath(boolean)} or {@link #foreground(boolean)} is
     *                               combined with {@link #newSession(boolean)}
     * @throws IllegalCallerException if native access is not enabled for procgroup; the message
     *                               names the command-line flag to add
     * @return the running child
     */
    public GroupProcess start() throws IOException {
        NativeAccess.require();
        return new GroupProcess(Backend.current().spawn(toRequest()));
    }

    private SpawnRequest toRequest() throws ErrnoException {
        List<String> frozenCommand = List.copyOf(command); // rejects null elements like ProcessBuilder
        if (frozenCommand.isEmpty()) {
            throw new ErrnoException("cannot run an empty command", EINVAL_NUMBER, EINVAL, "Invalid argument");
        }
        for (int i = 0; i < frozenCommand.size(); i++) {
            rejectNul(frozenCommand.get(i), i == 0 ? "program" : "argument " + i);
        }
        Map<String, String> frozenEnvironment = null;
        if (environment != null) {
            for (Map.Entry<String, String> e : environment.entrySet()) {
                rejectNul(e.getKey(), "environment name");
                rejectNul(e.getValue(), "environment value of " + e.getKey());
                if (e.getKey().indexOf('=') >= 0) { // an empty name is allowed, as by the JDK
                    throw new ErrnoException("invalid environment name \"" + e.getKey() + "\"",
                            EINVAL_NUMBER, EINVAL, "Invalid argument");
                }
            }
            frozenEnvironment = new LinkedHashMap<>(environment);
        }
        return new SpawnRequest(frozenCommand, directory, frozenEnvironment,
                redirects[0], redirects[1], redirects[2], redirectErrorStream, newSession,
                killOnParentDeath, killOnJvmExit, jobLimits, streamsOutliveLeader, foreground, exitHookGrace);
    }

    private static void rejectNul(String value, String what) throws ErrnoException {
        Objects.requireNonNull(value, () -> what + " is null"); // as ProcessBuilder rejects null
        int at = value.indexOf('\0');
        if (at >= 0) {
            throw new ErrnoException(what + " \"" + value.replace("\0", "\\0") + "\" contains a NUL byte at index " + at,
                    EINVAL_NUMBER, EINVAL, "Invalid argument");
        }
    }
}
