package io.github.procgroup;

import io.github.procgroup.internal.GroupPlacement;
import io.github.procgroup.internal.KillTrigger;
import io.github.procgroup.internal.SpawnRequest;
import io.github.procgroup.internal.Stdio;
import io.github.procgroup.internal.platform.Platforms;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
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
 *
 * <p>Which platform honours what: everything here works on every supported platform, except
 * {@link #newSession(boolean)} (POSIX; a Windows child always gets a console group of its own)
 * and {@link #windowsOptions(WindowsOptions)} (Windows; other platforms never read them).
 */
public final class GroupProcessBuilder {

    private List<String> command;
    private File directory;
    private Map<String, String> environment;
    private final Redirect[] redirects = {Redirect.PIPE, Redirect.PIPE, Redirect.PIPE};
    private boolean redirectErrorStream;
    private boolean newSession;
    private boolean killOnParentDeath;
    private boolean killOnJvmExit = true;
    private WindowsOptions windowsOptions = WindowsOptions.NONE;

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

    /**
     * Returns whether the JVM's shutdown hook kills what is left of the tree.
     *
     * @return whether the JVM's shutdown hook kills what is left of the tree
     */
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

    /**
     * Returns what only the Windows backend honours.
     *
     * @return what only the Windows backend honours
     */
    public WindowsOptions windowsOptions() {
        return windowsOptions;
    }

    /**
     * Options only the Windows backend honours, such as the Job Object's {@link JobLimits}. Other
     * platforms never read them, so portable code may set them unconditionally.
     *
     * @param windowsOptions the options ({@link WindowsOptions#NONE} for none)
     * @return this builder
     */
    public GroupProcessBuilder windowsOptions(WindowsOptions windowsOptions) {
        this.windowsOptions = Objects.requireNonNull(windowsOptions, "windowsOptions");
        return this;
    }

    /**
     * Starts the child as the leader of a new process group.
     *
     * <p>A program name without a slash is looked up in the PATH of {@link #environment()} if it
     * sets one (the JDK uses the JVM's PATH), else the JVM's, else {@code /bin:/usr/bin}. A file
     * the kernel cannot exec (ENOEXEC: a script without {@code #!}) is run by {@code /bin/sh}.
     *
     * @throws IllegalArgumentException if the command is empty, or the environment has a name or
     *                        value with a NUL byte or a name that is empty or holds '=' (checked
     *                        before anything starts; the message names the value)
     * @throws IOException    if the program or an argument holds a NUL byte (a plain IOException,
     *                        as the JDK's); {@link ErrnoException} (a {@link SystemErrorException})
     *                        if a system call fails: the program is missing (ENOENT) or not
     *                        executable (EACCES), the directory is missing (ENOENT) or not a
     *                        directory (ENOTDIR), a redirect file cannot be opened, or the pipes
     *                        cannot be set up; the message names the offending value and nothing
     *                        is left behind
     * @throws IllegalStateException if {@link #killOnParentDeath(boolean)} is combined with {@link #newSession(boolean)}
     * @throws UnsupportedOperationException if procgroup does not support this OS or architecture
     *                        (the message names both); the same on every call
     * @return the running child
     */
    public GroupProcess start() throws IOException {
        return new GroupProcess(Platforms.backend().spawn(toRequest()));
    }

    private SpawnRequest toRequest() throws IOException {
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
                if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0) {
                    throw new IllegalArgumentException("invalid environment name \"" + e.getKey() + "\"");
                }
            }
            frozenEnvironment = new LinkedHashMap<>(environment);
        }
        Stdio stdio = redirectErrorStream
                ? Stdio.errorToOutput(redirects[0], redirects[1])
                : new Stdio(redirects[0], redirects[1], redirects[2]);
        EnumSet<KillTrigger> killTriggers = EnumSet.noneOf(KillTrigger.class);
        if (killOnJvmExit) {
            killTriggers.add(KillTrigger.JVM_EXIT);
        }
        if (killOnParentDeath) {
            killTriggers.add(KillTrigger.PARENT_DEATH);
        }
        return new SpawnRequest(frozenCommand, directory, frozenEnvironment, stdio,
                newSession ? GroupPlacement.NEW_SESSION : GroupPlacement.NEW_GROUP, killTriggers, windowsOptions);
    }

    /** Environment entries the C library could not represent: rejected as the JDK's environment() does. */
    private static void rejectNul(String value, String what) {
        if (nulIndex(value, what) >= 0) {
            throw new IllegalArgumentException(nulMessage(value, what));
        }
    }

    private static int nulIndex(String value, String what) {
        Objects.requireNonNull(value, () -> what + " is null"); // as ProcessBuilder rejects null
        return value.indexOf('\0');
    }

    private static String nulMessage(String value, String what) {
        return what + " \"" + value.replace("\0", "\\0") + "\" contains a NUL byte at index " + value.indexOf('\0');
    }
}
