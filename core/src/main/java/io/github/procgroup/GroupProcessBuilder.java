package io.github.procgroup;

import io.github.procgroup.internal.Backend;
import io.github.procgroup.internal.ContainmentRequest;
import io.github.procgroup.internal.SpawnRequest;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
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
     * and keys not '=' (checked by {@link #start()}). A PATH set here is also where
     * {@link #start()} looks the program up.
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

    /** @return whether the JVM's shutdown hook kills what is left of the tree */
    public boolean killOnJvmExit() {
        return killOnJvmExit;
    }

    /**
     * Whether procgroup's shutdown hook SIGKILLs what is left of this tree when the JVM exits
     * normally ({@code System.exit}, the last non-daemon thread ending, SIGTERM, SIGINT or SIGHUP
     * to the JVM). On by default: a tree outliving the program that started it is what procgroup
     * exists to prevent. Turn it off for a child meant to outlive the JVM. The hook does not run
     * when the JVM is killed with SIGKILL or crashes: see {@link #killOnParentDeath(boolean)}.
     *
     * @param killOnJvmExit whether the shutdown hook kills the tree
     * @return this builder
     */
    public GroupProcessBuilder killOnJvmExit(boolean killOnJvmExit) {
        this.killOnJvmExit = killOnJvmExit;
        return this;
    }

    /** @return the containment asked for */
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

    /** @return the cgroup v2 directory leaf cgroups are created under, or null for the default */
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

    /** @return the limits for the tree */
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
     * <p>A program name without a slash is looked up in the PATH of {@link #environment()} if it
     * sets one (the JDK uses the JVM's PATH), else the JVM's, else {@code /bin:/usr/bin}. A file
     * the kernel cannot exec (ENOEXEC: a script without {@code #!}) is run by {@code /bin/sh}.
     *
     * @throws ErrnoException if the command is empty or holds a NUL byte, or the environment a NUL
     *                        byte or a bad name (EINVAL), the program is missing (ENOENT) or not
     *                        executable (EACCES), the directory is missing (ENOENT) or not a
     *                        directory (ENOTDIR), or a redirect file cannot be opened; the message
     *                        names the offending value and nothing is left behind
     * @throws IOException    if the pipes cannot be set up
     * @throws IllegalStateException if {@link #killOnParentDeath(boolean)} is combined with {@link #newSession(boolean)},
     *                               or {@link Containment#CGROUP} (or a limit) is asked for and the
     *                               host cannot give it: the message says why (no cgroup v2, a parent
     *                               that is not writable, a controller not enabled)
     * @return the running child
     */
    public GroupProcess start() throws IOException {
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
                if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0) {
                    throw new ErrnoException("invalid environment name \"" + e.getKey() + "\"",
                            EINVAL_NUMBER, EINVAL, "Invalid argument");
                }
            }
            frozenEnvironment = new LinkedHashMap<>(environment);
        }
        return new SpawnRequest(frozenCommand, directory, frozenEnvironment,
                redirects[0], redirects[1], redirects[2], redirectErrorStream, newSession,
                killOnParentDeath, killOnJvmExit,
                new ContainmentRequest(containment, cgroupParent, limits));
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
