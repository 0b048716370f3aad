package io.github.procgroup;

import io.github.procgroup.internal.ChildLifecycle;
import io.github.procgroup.internal.ContainmentRequest;
import io.github.procgroup.internal.GroupPlacement;
import io.github.procgroup.internal.KillTrigger;
import io.github.procgroup.internal.NativeAccess;
import io.github.procgroup.internal.SpawnRequest;
import io.github.procgroup.internal.Stdio;
import io.github.procgroup.internal.platform.Platforms;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
 *
 * <p>Or, in one call, with a timeout that ends the whole tree (see {@link #run(Duration)} and docs/run.md):
 *
 * <pre>{@code
 * ProcessResult r = new GroupProcessBuilder("make", "test").run(Duration.ofMinutes(10)).checkSuccess();
 * }</pre>
 *
 * <p><b>Native access.</b> procgroup calls the C library through the FFM API: run the JVM with
 * {@code --enable-native-access=ALL-UNNAMED} (class path),
 * {@code --enable-native-access=io.github.procgroup} (module path),
 * or {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest. JDK 22 to 25
 * warn without it; under {@code --illegal-native-access=deny} {@link #start()} fails.
 *
 * <p><b>Defaults that differ from {@code ProcessBuilder}.</b> {@link #killOnJvmExit(boolean)} is
 * on: when the JVM exits normally the tree gets SIGTERM, then SIGKILL after
 * {@link #exitHookGrace(Duration)}. The child leads a new process group, which is not the
 * terminal's foreground group: Ctrl-C in the JVM's terminal does not reach it, and a child that
 * reads an inherited terminal is stopped with SIGTTIN; give it a pipe or a file as stdin, or use
 * {@link #foreground(boolean)}.
 *
 * <p>Which platform honours what: everything here works on every supported platform, except
 * {@link #newSession(boolean)} (POSIX; a Windows child always gets a console group of its own)
 * and {@link #containment(Containment)} ({@link Containment#CGROUP} is Linux; a Windows tree is always in a
 * Job Object); {@link Limits} says which limit each platform honours.
 */
public final class GroupProcessBuilder {
    /** The default {@link #outputLimit(long)}: 16 MiB per stream. */
    public static final long DEFAULT_OUTPUT_LIMIT = 16L << 20;
    /** The default {@link #grace(Duration)}: 5 s between SIGTERM and SIGKILL. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** The default of {@link #exitHookGrace(Duration)}. */
    public static final Duration DEFAULT_EXIT_HOOK_GRACE = ChildLifecycle.DEFAULT.exitHookGrace();
    /** The largest {@link #outputLimit(long)}: what one Java array holds. */
    public static final long MAX_OUTPUT_LIMIT = Integer.MAX_VALUE - 8;

    private List<String> command;
    private File directory;
    private Map<String, String> environment;
    private final Redirect[] redirects = {Redirect.PIPE, Redirect.PIPE, Redirect.PIPE};
    private boolean redirectErrorStream;
    private boolean newSession;
    private boolean killOnParentDeath;
    private boolean killOnJvmExit = true;
    private Containment containment = Containment.GROUP;
    private Path cgroupParent;
    private Limits limits = Limits.NONE;
    private byte[] input; // for run(): bytes to feed to stdin
    private File inputFile; // for run(): the file stdin reads
    private Charset charset = StandardCharsets.UTF_8;
    private long outputLimit = DEFAULT_OUTPUT_LIMIT;
    private Consumer<String> stdoutLines;
    private Consumer<String> stderrLines;
    private Duration grace = DEFAULT_GRACE;
    private boolean streamsOutliveLeader;
    private boolean foreground;
    private Duration exitHookGrace = DEFAULT_EXIT_HOOK_GRACE;

    /**
     * Creates a builder for a command.
     *
     * @param command the program and its arguments
     */
    public GroupProcessBuilder(List<String> command) {
        this.command = Objects.requireNonNull(command, "command");
    }

    /**
     * Creates a builder for a command.
     *
     * @param command the program and its arguments
     */
    public GroupProcessBuilder(String... command) {
        this(new ArrayList<>(Arrays.asList(command)));
    }

    /**
     * Returns the command list, live: changes to it change what {@link #start()} runs.
     *
     * @return the command list, live: changes to it change what {@link #start()} runs
     */
    public List<String> command() {
        return command;
    }

    /**
     * Sets the program and its arguments.
     *
     * @param command the program and its arguments
     * @return this builder
     */
    public GroupProcessBuilder command(List<String> command) {
        this.command = Objects.requireNonNull(command, "command");
        return this;
    }

    /**
     * Sets the program and its arguments.
     *
     * @param command the program and its arguments
     * @return this builder
     */
    public GroupProcessBuilder command(String... command) {
        return command(new ArrayList<>(Arrays.asList(command)));
    }

    /**
     * Returns the child's working directory, or null for the JVM's.
     *
     * @return the child's working directory, or null for the JVM's
     */
    public File directory() {
        return directory;
    }

    /**
     * Sets the child's working directory, or null for the JVM's.
     *
     * @param directory the child's working directory, or null for the JVM's
     * @return this builder
     */
    public GroupProcessBuilder directory(File directory) {
        this.directory = directory;
        return this;
    }

    /**
     * Sets the child's working directory, or null for the JVM's.
     *
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
     * Sets where the child's stdin comes from (PIPE, INHERIT, or a file to read).
     *
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
     * Sets where the child's stdout goes (PIPE, INHERIT, DISCARD, or a file).
     *
     * @param destination where the child's stdout goes (PIPE, INHERIT, DISCARD, or a file)
     * @return this builder
     */
    public GroupProcessBuilder redirectOutput(Redirect destination) {
        redirects[1] = checkWritable(destination);
        return this;
    }

    /**
     * Sets where the child's stderr goes (PIPE, INHERIT, DISCARD, or a file).
     *
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
     * Sets the file the child reads its stdin from.
     *
     * @param file the file the child reads its stdin from
     * @return this builder
     */
    public GroupProcessBuilder redirectInput(File file) {
        return redirectInput(Redirect.from(file));
    }

    /**
     * Sets the file the child's stdout replaces.
     *
     * @param file the file the child's stdout replaces
     * @return this builder
     */
    public GroupProcessBuilder redirectOutput(File file) {
        return redirectOutput(Redirect.to(file));
    }

    /**
     * Sets the file the child's stderr replaces.
     *
     * @param file the file the child's stderr replaces
     * @return this builder
     */
    public GroupProcessBuilder redirectError(File file) {
        return redirectError(Redirect.to(file));
    }

    /**
     * Returns where the child's stdin comes from.
     *
     * @return where the child's stdin comes from
     */
    public Redirect redirectInput() {
        return redirects[0];
    }

    /**
     * Returns where the child's stdout goes.
     *
     * @return where the child's stdout goes
     */
    public Redirect redirectOutput() {
        return redirects[1];
    }

    /**
     * Returns where the child's stderr goes.
     *
     * @return where the child's stderr goes
     */
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

    /**
     * Returns whether the child's stderr is merged into its stdout.
     *
     * @return whether the child's stderr is merged into its stdout
     */
    public boolean redirectErrorStream() {
        return redirectErrorStream;
    }

    /**
     * Sets whether to merge the child's stderr into its stdout.
     *
     * @param redirectErrorStream merge the child's stderr into its stdout
     * @return this builder
     */
    public GroupProcessBuilder redirectErrorStream(boolean redirectErrorStream) {
        this.redirectErrorStream = redirectErrorStream;
        return this;
    }

    /**
     * Returns whether the child starts a new session.
     *
     * @return whether the child starts a new session
     */
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

    /**
     * Returns whether the tree dies with the JVM, even when the JVM is killed with SIGKILL.
     *
     * @return whether the tree dies with the JVM, even when the JVM is killed with SIGKILL
     */
    public boolean killOnParentDeath() {
        return killOnParentDeath;
    }

    /**
     * Makes the child's tree die when the JVM dies in any way, SIGKILL and crashes included
     * (Linux). procgroup adds a helper process (a {@code /bin/sh}) to the child's group that
     * ignores SIGTERM, SIGHUP and the like and waits on a pipe whose write end only the JVM holds:
     * when the JVM dies the kernel closes that end, and the helper SIGKILLs the whole group. The
     * helper is procgroup's own: it is not in {@link GroupProcess#members()}, and it ends with the
     * tree. What still escapes: processes that left the group ({@code setsid}, {@code setpgid}),
     * unless the child has a cgroup of its own ({@link Containment#CGROUP}): the helper then
     * kills every member of the cgroup ({@code cgroup.kill}) and removes it.
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

    /**
     * Returns whether the JVM's shutdown hook kills what is left of the tree.
     *
     * @return whether the JVM's shutdown hook kills what is left of the tree
     */
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

    /** {@return how long the shutdown hook lets this tree handle SIGTERM before it SIGKILLs it} */
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

    /** {@return whether the pipes stay open after the leader is reaped} */
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

    /** {@return whether the child's group is made the terminal's foreground group while it runs} */
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

    /**
     * Returns the containment asked for.
     *
     * @return the containment asked for
     */
    public Containment containment() {
        return containment;
    }

    /**
     * How the tree is held together. {@link Containment#GROUP} (the default) is a process group;
     * {@link Containment#CGROUP} also puts the child, before it runs a single instruction of the
     * program, into a fresh cgroup v2 of its own (Linux), which no process of the tree can leave:
     * {@link GroupProcess#close()} then ends double-forked daemons and {@code setsid} escapees
     * without a {@link Subreaper}, and the kernel says when the tree is empty.
     * {@link Containment#AUTO} takes a cgroup where a writable one is found and falls back to the
     * group otherwise (logged once). {@link GroupProcess#containment()} says what the child got.
     *
     * @param containment the level ({@link Containment#JOB_OBJECT} is only ever reported)
     * @return this builder
     */
    public GroupProcessBuilder containment(Containment containment) {
        Objects.requireNonNull(containment, "containment");
        if (containment == Containment.JOB_OBJECT) {
            throw new IllegalArgumentException("JOB_OBJECT is reported, never asked for: use CGROUP or AUTO");
        }
        this.containment = containment;
        return this;
    }

    /**
     * Returns the cgroup parent set with {@link #cgroupParent(java.nio.file.Path)}.
     *
     * @return the cgroup v2 directory leaf cgroups are created under, or null for the default
     */
    public Path cgroupParent() {
        return cgroupParent;
    }

    /**
     * Where the child's leaf cgroup is created (Linux, {@link Containment#CGROUP} or
     * {@link Containment#AUTO}): a cgroup v2 directory this JVM may create cgroups in and move
     * processes into, such as one systemd delegated ({@code Delegate=yes}, a
     * {@code user@UID.service} subtree). Null (the default) means the system property
     * {@code procgroup.cgroup.parent} if set, else the cgroup this JVM runs in.
     *
     * @param cgroupParent the parent cgroup directory, or null
     * @return this builder
     */
    public GroupProcessBuilder cgroupParent(Path cgroupParent) {
        this.cgroupParent = cgroupParent;
        return this;
    }

    /**
     * Returns the limits set with {@link #limits(Limits)}.
     *
     * @return the limits for the tree
     */
    public Limits limits() {
        return limits;
    }

    /**
     * Limits for the whole tree: on Linux through the child's cgroup (so they need
     * {@link Containment#CGROUP} or {@link Containment#AUTO}, and the controllers enabled in the
     * parent cgroup), on Windows through its Job Object. {@link Limits} says which knob each
     * platform honours; one the host cannot enforce fails {@link #start()} unless
     * {@link Limits#bestEffort()}.
     *
     * @param limits the limits ({@link Limits#NONE} for none)
     * @return this builder
     */
    public GroupProcessBuilder limits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
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
     * {@code /bin/sh}, as the JDK does. With {@link #redirectErrorStream(boolean)}, a file given to
     * {@link #redirectError(File)} is still created (or truncated), as the JDK does.
     *
     * @throws IllegalArgumentException if the command is empty, or the environment has a name or
     *                        value with a NUL byte or a name that holds '=' (checked
     *                        before anything starts; the message names the value)
     * @throws IOException    if the program or an argument holds a NUL byte (a plain IOException,
     *                        as the JDK's); {@link ErrnoException} (a {@link SystemErrorException})
     *                        if a system call fails: the program is missing (ENOENT) or not
     *                        executable (EACCES), the directory is missing (ENOENT) or not a
     *                        directory (ENOTDIR), a redirect file cannot be opened, or the pipes
     *                        cannot be set up; the message names the offending value and nothing
     *                        is left behind
     * @throws IllegalStateException if {@link #killOnParentDeath(boolean)} or {@link #foreground(boolean)} is
     *                               combined with {@link #newSession(boolean)}, or {@link Containment#CGROUP}
     *                               (or a limit) is asked for and the host cannot give it: the message
     *                               says why (no cgroup v2, a parent that is not writable, a controller
     *                               not enabled)
     * @throws UnsupportedOperationException if procgroup does not support this OS or architecture
     *                        (the message names both); the same on every call
     * @throws IllegalCallerException if the JVM denies procgroup native access; the message names
     *                        the command-line flag to add
     * @return the running child
     */
    public GroupProcess start() throws IOException {
        checkNoInput("start()");
        return new GroupProcess(Platforms.backend().spawn(toRequest(redirects[0])));
    }

    private void checkNoInput(String what) {
        if (hasInput()) {
            throw new IllegalStateException("input(...) is fed by run() and runAsync() only, not by " + what
                    + ": write to getOutputStream(), or use redirectInput(file)");
        }
    }

    // ---- run: start, feed, capture, time out, end the tree (see docs/run.md) ----

    /**
     * What {@link #run(Duration)} feeds to the child's stdin: the text encoded with UTF-8.
     * Replaces an input set before. Only runs feed it: {@link #start()} refuses a builder with an
     * input ({@link IllegalStateException}), as the input would otherwise be silently lost.
     *
     * @param text the whole input
     * @return this builder
     */
    public GroupProcessBuilder input(String text) {
        return input(text, StandardCharsets.UTF_8);
    }

    /**
     * As {@link #input(String)}, encoded with {@code charset}.
     *
     * @param text    the whole input
     * @param charset how to encode it
     * @return this builder
     */
    public GroupProcessBuilder input(String text, Charset charset) {
        return input(text.getBytes(Objects.requireNonNull(charset, "charset")));
    }

    /**
     * What {@link #run(Duration)} feeds to the child's stdin, written from a thread of its own while
     * the output is read; stdin is closed after it. A child that exits or closes its stdin
     * without reading all of it is not an error (as in Python's {@code subprocess.run}).
     *
     * @param bytes the whole input (copied)
     * @return this builder
     */
    public GroupProcessBuilder input(byte[] bytes) {
        this.input = Objects.requireNonNull(bytes, "input").clone();
        this.inputFile = null;
        return this;
    }

    /**
     * The file {@link #run(Duration)} gives the child as its stdin, opened by procgroup before
     * the spawn (a missing file: {@link ErrnoException}, ENOENT); the child reads it directly, no
     * thread copies it.
     *
     * @param file the file
     * @return this builder
     */
    public GroupProcessBuilder input(Path file) {
        this.inputFile = Objects.requireNonNull(file, "input").toFile();
        this.input = null;
        return this;
    }

    /**
     * As {@link #input(Path)}.
     *
     * @param file the file
     * @return this builder
     */
    public GroupProcessBuilder input(File file) {
        return input(Objects.requireNonNull(file, "input").toPath());
    }

    /**
     * How a run decodes stdout and stderr into text ({@link ProcessResult#stdout()} and the
     * lines given to the consumers). Lines are split at the byte {@code '\n'} (a trailing
     * {@code '\r'} is dropped), so the charset must encode it so: UTF-8, ISO-8859-*, ASCII and
     * the like, not UTF-16.
     *
     * @param charset the charset; UTF-8 unless set
     * @return this builder
     */
    public GroupProcessBuilder charset(Charset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
        return this;
    }

    /**
     * How many bytes of stdout and how many of stderr a run keeps. The rest is still read (the
     * child never blocks on a full pipe) and counted ({@link ProcessResult#truncated()}); line
     * consumers still get every line. 0 keeps nothing, for a run that only streams lines.
     *
     * @param bytesPerStream the limit, 0 to {@link #MAX_OUTPUT_LIMIT}; {@link #DEFAULT_OUTPUT_LIMIT} unless set
     * @return this builder
     * @throws IllegalArgumentException if the limit is negative or too large
     */
    public GroupProcessBuilder outputLimit(long bytesPerStream) {
        if (bytesPerStream < 0 || bytesPerStream > MAX_OUTPUT_LIMIT) {
            throw new IllegalArgumentException("output limit must be 0 to " + MAX_OUTPUT_LIMIT + " bytes: " + bytesPerStream);
        }
        this.outputLimit = bytesPerStream;
        return this;
    }

    /** {@return how many bytes of each stream a run keeps} */
    public long outputLimit() {
        return outputLimit;
    }

    /**
     * Gives each line of stdout to {@code consumer} during a run, on the thread that reads
     * stdout, in order, without its line end; a last line without a newline comes at end of file,
     * and a line longer than 1 MiB comes in pieces. If the consumer throws, it is not called again,
     * the output is still read and kept, and the run throws that exception once the tree is gone.
     *
     * @param consumer what to call with each line
     * @return this builder
     * @throws NullPointerException if the consumer is null
     */
    public GroupProcessBuilder onStdoutLine(Consumer<String> consumer) {
        this.stdoutLines = Objects.requireNonNull(consumer, "onStdoutLine consumer is null");
        return this;
    }

    /**
     * As {@link #onStdoutLine(Consumer)}, for stderr.
     *
     * @param consumer what to call with each line
     * @return this builder
     * @throws NullPointerException if the consumer is null
     */
    public GroupProcessBuilder onStderrLine(Consumer<String> consumer) {
        this.stderrLines = Objects.requireNonNull(consumer, "onStderrLine consumer is null");
        return this;
    }

    /**
     * Sends every line of stdout and of stderr to {@code logger} at {@code level} during a run
     * (the same as {@code onStdoutLine(toLogger(logger, level)).onStderrLine(toLogger(logger, level))}).
     *
     * @param logger where the lines go
     * @param level  at which level
     * @return this builder
     */
    public GroupProcessBuilder logOutput(System.Logger logger, System.Logger.Level level) {
        Consumer<String> sink = toLogger(logger, level);
        return onStdoutLine(sink).onStderrLine(sink);
    }

    /**
     * A line consumer that logs each line, for {@link #onStdoutLine} or {@link #onStderrLine}:
     * {@code onStderrLine(toLogger(log, Level.WARNING))}.
     *
     * @param logger where the lines go
     * @param level  at which level
     * @return the consumer
     */
    public static Consumer<String> toLogger(System.Logger logger, System.Logger.Level level) {
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(level, "level");
        return line -> logger.log(level, line);
    }

    /** {@return how long the tree has between SIGTERM and SIGKILL when a run ends it} */
    public Duration grace() {
        return grace;
    }

    /**
     * How long a run gives the tree between SIGTERM and SIGKILL when it ends it: at the
     * timeout, at cancellation or interruption, and for processes still running once the child
     * has exited (see {@link GroupProcess#terminate(Duration)}).
     *
     * @param grace 0 (SIGKILL at once) or more; {@link #DEFAULT_GRACE} unless set
     * @return this builder
     * @throws IllegalArgumentException if the grace is negative
     */
    public GroupProcessBuilder grace(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        this.grace = grace;
        return this;
    }

    /**
     * As {@link #run(Duration)} without a time limit: waits as long as the child runs.
     *
     * @return the result, once nothing of the tree runs
     * @throws ErrnoException       as {@link #start()} throws it (nothing is left behind)
     * @throws IOException          if the pipes cannot be set up or the output cannot be read
     * @throws InterruptedException if the calling thread is interrupted; the tree is ended first
     */
    public ProcessResult run() throws IOException, InterruptedException {
        return started().await(null);
    }

    /**
     * Starts the child, feeds it the {@linkplain #input(byte[]) input} (or closes its stdin if
     * it is a pipe and there is none), reads stdout and stderr on threads of their own while it runs
     * (so neither can fill up and stall it), and waits at most {@code timeout} from the spawn.
     * Then it ends the <em>whole tree</em>: SIGTERM, up to the {@linkplain #grace(Duration)
     * grace}, SIGKILL (see {@link GroupProcess#terminate(Duration)}). The tree is also ended when
     * the child exits in time but leaves processes running (a daemon, a background job): the run
     * is over when the child is, and nothing outlives it. It returns once none of the tree runs.
     *
     * <p>An interrupt of the waiting thread ends the tree the same way (TERM, grace, KILL) and is
     * then thrown as {@link InterruptedException} (with the interrupt status cleared, as usual).
     * {@link #killOnJvmExit(boolean)} and {@link #killOnParentDeath(boolean)} apply as with
     * {@link #start()}. A stream redirected elsewhere than to a pipe is not captured.
     *
     * @param timeout how long the child may run, more than 0
     * @return the result; {@link ProcessResult#checkSuccess()} turns a failure into an exception
     * @throws IllegalArgumentException if the timeout is zero or negative
     * @throws IllegalStateException    if both an input and a redirectInput other than PIPE are set
     * @throws ErrnoException           as {@link #start()} throws it (nothing is left behind)
     * @throws IOException              if the pipes cannot be set up or the output cannot be read
     * @throws InterruptedException     if the calling thread is interrupted; the tree is ended first
     */
    public ProcessResult run(Duration timeout) throws IOException, InterruptedException {
        checkTimeout(timeout);
        return started().await(timeout);
    }

    /**
     * As {@link #runAsync(Duration)} without a time limit.
     *
     * @return the result to come
     * @throws ErrnoException as {@link #start()} throws it
     * @throws IOException    if the pipes cannot be set up
     */
    public CompletableFuture<ProcessResult> runAsync() throws IOException {
        return Run.async(started(), null);
    }

    /**
     * As {@link #run(Duration)}, waiting on a thread of its own. The child is started
     * before this returns, so a missing program throws here. Cancelling the future (or completing
     * it) ends the tree as a timeout does, in the background: the future is cancelled at once,
     * while the tree gets its grace.
     *
     * @param timeout how long the child may run, more than 0
     * @return the result to come; completed exceptionally with what {@link #run(Duration)} would throw
     * @throws IllegalArgumentException if the timeout is zero or negative
     * @throws ErrnoException           as {@link #start()} throws it
     * @throws IOException              if the pipes cannot be set up
     */
    public CompletableFuture<ProcessResult> runAsync(Duration timeout) throws IOException {
        checkTimeout(timeout);
        return Run.async(started(), timeout);
    }

    static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be more than 0: " + timeout);
        }
        return timeout;
    }

    private Run started() throws IOException {
        long startNanos = System.nanoTime();
        GroupProcess p = new GroupProcess(Platforms.backend().spawn(toRequest(runStdin())));
        return new Run(commandLine(), List.of(p), List.of(runOptions()), startNanos);
    }

    /** @return stdin for a run: the input file if set, else the redirect (PIPE unless set) */
    Redirect runStdin() {
        if (hasInput() && redirects[0] != Redirect.PIPE) {
            throw new IllegalStateException("both input(...) and redirectInput(" + redirects[0] + ") are set");
        }
        return inputFile != null ? Redirect.from(inputFile) : redirects[0];
    }

    RunOptions runOptions() {
        return new RunOptions(input, charset, outputLimit, stdoutLines, stderrLines, grace);
    }

    String commandLine() {
        return String.join(" ", command);
    }

    // ---- pipelines: every stage in one process group (see docs/run.md) ----

    /**
     * Starts a pipeline, as {@link ProcessBuilder#startPipeline(List)} does, with every stage in
     * <em>one</em> process group, which the first stage leads: the pipeline is one tree to
     * signal, time out and kill. Each stage's stdout goes into the next stage's stdin through a
     * pipe that only the two stages hold (no thread copies the data).
     *
     * <p>The same rules as the JDK's: every builder but the first must have redirectInput PIPE,
     * every builder but the last redirectOutput PIPE (else {@link IllegalArgumentException});
     * the first stage's stdin and the last stage's stdout are what their builders say, and every
     * stage's stderr is its own. Each returned process has its own pid, streams and exit status,
     * but all share the first stage's group: {@link GroupProcess#close()},
     * {@link GroupProcess#terminate(Duration)}, {@link GroupProcess#signal(Signal)} and
     * {@link GroupProcess#tree()} on any of them act on the whole pipeline. A stage that moves
     * itself out of the group stays part of the pipeline's tree until it is reaped (closed and
     * terminated with it), and its own {@link GroupProcess#destroy()} still reaches it; only a
     * signal to the group misses it (see {@code docs/run.md}). The group's settings
     * ({@link #killOnJvmExit(boolean)}, {@link #killOnParentDeath(boolean)}) are the first
     * builder's. If a stage cannot be started, the stages started so far are killed and reaped and
     * the exception is thrown. Linux only for now.
     *
     * @param builders the stages, in order
     * @return the started stages, in order (empty for an empty list, as the JDK's)
     * @throws IllegalArgumentException      if a redirect breaks the rules above, or a stage asks for a new session
     * @throws IllegalStateException         if a stage has an input (use {@link #runPipeline(List, Duration)})
     * @throws ErrnoException                as {@link #start()} throws it, for the stage that failed
     * @throws IOException                   if the pipes cannot be set up
     * @throws UnsupportedOperationException on Windows
     */
    public static List<GroupProcess> startPipeline(List<GroupProcessBuilder> builders) throws IOException {
        return Pipelines.start(builders, false);
    }

    /**
     * As {@link #runPipeline(List, Duration)} without a time limit.
     *
     * @param builders the stages, in order, at least one
     * @return the result, once nothing of the pipeline runs
     * @throws IOException          as {@link #startPipeline(List)} and {@link #run(Duration)} throw it
     * @throws InterruptedException if the calling thread is interrupted; the pipeline is ended first
     */
    public static ProcessResult runPipeline(List<GroupProcessBuilder> builders) throws IOException, InterruptedException {
        return Pipelines.run(builders, null);
    }

    /**
     * Runs a pipeline with the semantics of {@link #run(Duration)}: starts it as
     * {@link #startPipeline(List)} does, feeds the first stage's {@linkplain #input(byte[]) input},
     * keeps the last stage's stdout (with its charset, limit and line consumer) and every stage's
     * stderr (with each stage's settings; the result's stderr is theirs in stage order), waits
     * until every stage has exited or {@code timeout} has passed, then ends what is left of the
     * whole pipeline with the first builder's grace. The result's {@link ProcessResult#exitStatus()}
     * is the last stage's, as a shell's; {@link ProcessResult#stageStatuses()} has them all.
     *
     * @param builders the stages, in order, at least one
     * @param timeout  how long the pipeline may run, more than 0
     * @return the result, once nothing of the pipeline runs
     * @throws IllegalArgumentException if the list is empty, the timeout not positive, or a redirect breaks the rules
     * @throws IOException              as {@link #startPipeline(List)} and {@link #run(Duration)} throw it
     * @throws InterruptedException     if the calling thread is interrupted; the pipeline is ended first
     */
    public static ProcessResult runPipeline(List<GroupProcessBuilder> builders, Duration timeout)
            throws IOException, InterruptedException {
        return Pipelines.run(builders, checkTimeout(timeout));
    }

    /** @return whether an input is set for a run */
    boolean hasInput() {
        return input != null || inputFile != null;
    }

    SpawnRequest toRequest(Redirect stdin) throws IOException {
        NativeAccess.require(); // before any class that touches the bindings
        List<String> frozenCommand = List.copyOf(command); // rejects null elements like ProcessBuilder
        if (frozenCommand.isEmpty()) {
            throw new IllegalArgumentException("cannot run an empty command");
        }
        for (int i = 0; i < frozenCommand.size(); i++) {
            String what = i == 0 ? "program" : "argument " + i;
            if (nulIndex(frozenCommand.get(i), what) >= 0) {
                throw new IOException(nulMessage(frozenCommand.get(i), what)); // as the JDK: "invalid null character"
            }
        }
        Map<String, String> frozenEnvironment = null;
        if (environment != null) {
            for (Map.Entry<String, String> e : environment.entrySet()) {
                rejectNul(e.getKey(), "environment name");
                rejectNul(e.getValue(), "environment value of " + e.getKey());
                if (e.getKey().indexOf('=') >= 0) { // an empty name is allowed, as by the JDK
                    throw new IllegalArgumentException("invalid environment name \"" + e.getKey() + "\"");
                }
            }
            frozenEnvironment = new LinkedHashMap<>(environment);
        }
        Stdio stdio = redirectErrorStream
                ? Stdio.errorToOutput(stdin, redirects[1])
                : new Stdio(stdin, redirects[1], redirects[2]);
        EnumSet<KillTrigger> killTriggers = EnumSet.noneOf(KillTrigger.class);
        if (killOnJvmExit) {
            killTriggers.add(KillTrigger.JVM_EXIT);
        }
        if (killOnParentDeath) {
            killTriggers.add(KillTrigger.PARENT_DEATH);
        }
        if (redirectErrorStream && (redirects[2].type() == Redirect.Type.WRITE
                || redirects[2].type() == Redirect.Type.APPEND)) {
            // As the JDK: the file is created (or truncated) though the child's stderr goes to its stdout.
            new java.io.FileOutputStream(redirects[2].file(), redirects[2].type() == Redirect.Type.APPEND).close();
        }
        return new SpawnRequest(frozenCommand, directory, frozenEnvironment, stdio,
                newSession ? GroupPlacement.NEW_SESSION : GroupPlacement.NEW_GROUP, killTriggers,
                new ContainmentRequest(containment, cgroupParent, limits),
                new ChildLifecycle(streamsOutliveLeader, foreground, exitHookGrace));
    }

    /** Environment entries the C library could not represent: rejected as the JDK's environment() does. */
    private static void rejectNul(String value, String what) {
        if (nulIndex(value, what) >= 0) {
            throw new IllegalArgumentException(nulMessage(value, what));
        }
    }

    private static int nulIndex(String value, String what) {
        if (value == null) {
            throw new NullPointerException(what + " is null"); // as ProcessBuilder rejects null
        }
        return value.indexOf('\0');
    }

    private static String nulMessage(String value, String what) {
        return what + " \"" + value.replace("\0", "\\0") + "\" contains a NUL byte at index " + value.indexOf('\0');
    }
}
