package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.Backend;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.ContainmentRequest;
import io.github.procgroup.internal.GroupPlacement;
import io.github.procgroup.internal.SpawnRequest;
import io.github.procgroup.internal.Stdio;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spawns children with posix_spawn into new process groups and watches them with pidfds. Reads
 * every part of a {@link SpawnRequest}.
 */
public final class LinuxBackend implements Backend {

    /**
     * The C library's {@code environ}: an unchanged environment is passed on byte for byte, as
     * the JDK does, rather than re-encoded from {@link System#getenv()}, which has already turned
     * bytes that are not valid in {@code sun.jnu.encoding} into replacement characters.
     */
    private static final class InheritedEnvironment {
        private static final MemorySegment ENVIRON = Downcalls.required("environ").reinterpret(ValueLayout.ADDRESS.byteSize());

        /** @return the current {@code char **environ}; read at each spawn, as native code may setenv */
        static MemorySegment envp() {
            return ENVIRON.get(ValueLayout.ADDRESS, 0);
        }
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws IOException {
        if (request.placement() instanceof GroupPlacement.JoinGroup join) {
            // A child that joins a group it does not lead is a pipeline stage: spawnPipeline keeps the
            // group's leader unreaped until every stage has joined, and its handle delegates to the leader's.
            throw new IllegalArgumentException("a child of the user cannot join group " + join.processGroupId()
                    + " on its own: only spawnPipeline places children in another's group");
        }
        LinuxProcess process = spawnUnwatched(request, request.placement(), ChildStdio.INHERIT, ChildStdio.INHERIT,
                AdoptedOrphans.running() ? AdoptedOrphans.newToken() : null);
        watch(process);
        return process;
    }

    @Override
    public List<ChildProcess> spawnPipeline(List<SpawnRequest> stages) throws IOException {
        for (SpawnRequest stage : stages) {
            if (stage.containment().containment() != io.github.procgroup.Containment.GROUP
                    || stage.containment().limits().any()) {
                // Every stage would need the leader's cgroup; not supported yet, so say so rather than half-contain.
                throw new UnsupportedOperationException("pipelines run in one process group: containment "
                        + stage.containment().containment() + " and limits are not supported for pipeline stages yet");
            }
        }
        return PipelineSpawner.spawn(stages);
    }

    /** Makes a spawned leader known to the shutdown hook and the orphan tracker, then to the exit watcher. */
    static void watch(LinuxProcess leader) {
        LiveTrees.add(leader); // before the watcher can reap it: the orphan tracker must know the pid
        ExitWatcher.instance().watch(leader);
    }

    /**
     * Starts one child that nothing reaps yet: the caller hands it to {@link #watch} or to
     * {@link ExitWatcher#watch}, or kills and reaps it. A pipeline keeps its leader unreaped this
     * way until every stage has joined the leader's group: a reaped leader's group may be gone.
     *
     * @param placement   the request's own, or the group to join (a pipeline stage's); a child that
     *                    joins a group gets no parent-death sentinel of its own and no place in LiveTrees
     * @param givenStdin  an fd for the child's stdin in place of the request's redirect, or
     *                    {@link ChildStdio#INHERIT}; owned by this call from the start (always closed)
     * @param givenStdout the same for stdout
     * @param treeToken   the PROCGROUP_TREE mark for the child's environment, or null
     */
    static LinuxProcess spawnUnwatched(SpawnRequest request, GroupPlacement placement, int givenStdin, int givenStdout,
                                       String treeToken) throws IOException {
        String path;
        try {
            path = checkAndLocate(request);
        } catch (IOException | RuntimeException e) {
            closeGiven(givenStdin, givenStdout);
            throw e;
        }
        boolean leader = !(placement instanceof GroupPlacement.JoinGroup);
        CgroupSpawn cgroupSpawn; // null: a process group only
        try {
            cgroupSpawn = leader ? CgroupSpawn.prepare(request.containment()) : null;
        } catch (IOException | RuntimeException e) {
            closeGiven(givenStdin, givenStdout);
            throw e;
        }
        try {
            return spawnUnwatched(request, placement, givenStdin, givenStdout, treeToken, path, leader, cgroupSpawn);
        } catch (IOException | RuntimeException e) {
            if (cgroupSpawn != null) {
                cgroupSpawn.abandon(); // the child, if it was started, is dead and reaped by now
            }
            throw e;
        }
    }

    private static LinuxProcess spawnUnwatched(SpawnRequest request, GroupPlacement placement, int givenStdin,
                                               int givenStdout, String treeToken, String path, boolean leader,
                                               CgroupSpawn cgroupSpawn) throws IOException {
        try (Arena arena = Arena.ofConfined(); ChildStdio stdio = openStdio(request, arena, givenStdin, givenStdout)) {
            MemorySegment envp = request.environment() == null
                    ? InheritedEnvironment.envp()
                    : CStrings.environment(arena, request.environment());
            // Under the subreaper's tracker, the environment marks the tree (see AdoptedOrphans).
            if (treeToken != null) {
                envp = CStrings.withEntry(arena, envp, AdoptedOrphans.TREE_VARIABLE + "=" + treeToken);
            }
            int pid = cgroupSpawn == null
                    ? PosixSpawner.spawn(arena, path, request.command(), envp, stdio, request.directory(), placement)
                    : cgroupSpawn.spawn(arena, path, request.command(), envp, stdio, request.directory(), placement);
            ChildStdio.Streams streams = null;
            ParentDeathSentinel sentinel;
            CgroupTree cgroup = null;
            // The terminal goes to the child's group before anything can fail, and back if something does.
            Foreground foreground = leader && request.foreground() ? Foreground.take(pid) : null;
            try {
                streams = stdio.streams(pid, !request.streamsOutliveLeader(), foreground);
                if (cgroupSpawn != null && cgroupSpawn.leaf() != null) {
                    cgroup = CgroupTree.watch(cgroupSpawn.leaf(), request.killOnJvmExit());
                }
                sentinel = leader && request.killOnParentDeath()
                        ? ParentDeathSentinel.start(pid, cgroup == null ? null : cgroup.leaf().dir()) : null;
            } catch (IOException e) {
                killCgroup(cgroupSpawn, cgroup);
                if (foreground != null) {
                    foreground.giveBack(pid);
                }
                killAndReap(pid, leader);
                closeAll(streams); // nothing may wait for a GC: the fds are what ran out, perhaps
                throw startFailure(request, streams == null ? "its streams" : "its parent-death helper", e);
            } catch (RuntimeException e) {
                killCgroup(cgroupSpawn, cgroup);
                if (foreground != null) {
                    foreground.giveBack(pid);
                }
                killAndReap(pid, leader);
                closeAll(streams);
                throw e;
            }
            // pidfd_open fails with ENOSYS on old kernels or EMFILE when out of fds: the watcher
            // then falls back to a waiting thread for this child.
            int pidfd = OwnedPid.openPidfd(pid);
            return new LinuxProcess(pid, pidfd >= 0 ? pidfd : -1, streams, sentinel,
                    leader && request.killOnJvmExit(), request.exitHookGrace(), treeToken, cgroup);
        }
    }

    /**
     * A start that fails after the spawn: stops watching the leaf and kills what the child forked
     * meanwhile (cgroup.kill is exact: only the leaf's members); the caller then kills and reaps
     * the child, and {@link CgroupSpawn#abandon()} removes the leaf.
     */
    private static void killCgroup(CgroupSpawn cgroupSpawn, CgroupTree cgroup) {
        if (cgroup != null) {
            cgroup.discard();
        }
        if (cgroupSpawn != null && cgroupSpawn.leaf() != null) {
            try {
                cgroupSpawn.leaf().kill();
            } catch (ErrnoException e) {
                cgroupSpawn.leaf().signalEach(LibC.SIGKILL()); // each pid pinned by a pidfd first
            }
        }
    }

    /** The checks before a spawn. @return the file to exec */
    private static String checkAndLocate(SpawnRequest request) throws IOException {
        checkDirectory(request.directory());
        if (request.killOnParentDeath() && request.placement() instanceof GroupPlacement.NewSession) {
            // The sentinel (see ParentDeathSentinel) joins the child's group, which setpgid allows only
            // within the JVM's own session.
            throw new IllegalStateException("killOnParentDeath needs the child in the JVM's session: "
                    + "it cannot be combined with newSession");
        }
        if (request.foreground() && request.placement() instanceof GroupPlacement.NewSession) {
            throw new IllegalStateException("foreground needs the child in the JVM's session, whose terminal it "
                    + "gets: it cannot be combined with newSession");
        }
        return ProgramLocator.locate(request.program(), request.directory());
    }

    private static void closeGiven(int... fds) {
        for (int fd : fds) {
            if (fd != ChildStdio.INHERIT) {
                Posix.close(fd);
            }
        }
    }

    /** One of procgroup's own helpers: its pid, and the parent's end of the pipe on its stdin. */
    record Helper(int pid, int stdinPipe) {
    }

    /**
     * Starts one of procgroup's own helpers: stdin a pipe whose write end the caller gets (raw,
     * O_CLOEXEC), stdout and stderr discarded, an empty environment, in /.
     *
     * @param argv      the program (an absolute path) and its arguments
     * @param placement the group it goes into
     * @return its pid, which the caller reaps, and the write end, which the caller closes
     */
    static Helper spawnHelper(List<String> argv, GroupPlacement placement) throws ErrnoException {
        SpawnRequest request = new SpawnRequest(argv, null, Map.of(),
                new Stdio(Redirect.PIPE, Redirect.DISCARD, Redirect.DISCARD), placement, Set.of(), ContainmentRequest.GROUP);
        try (Arena arena = Arena.ofConfined(); ChildStdio stdio = ChildStdio.open(request, arena)) {
            int pid = PosixSpawner.spawn(arena, argv.get(0), argv, CStrings.environment(arena, Map.of()), stdio,
                    new File("/"), placement);
            return new Helper(pid, stdio.takeParentFd(0));
        }
    }

    private static void checkDirectory(File directory) throws IOException {
        if (directory == null) {
            return;
        }
        // Checked here because a failing chdir file action reports a bare ENOENT, as if the program were missing.
        if (!Files.exists(directory.toPath())) {
            throw Errno.exception("cannot use directory \"" + directory + "\"", LibC.ENOENT());
        }
        if (!Files.isDirectory(directory.toPath())) {
            throw Errno.exception("cannot use directory \"" + directory + "\"", LibC.ENOTDIR());
        }
    }

    /**
     * @return the failure to set up {@code what} for the user's program, named as such: the helper's
     *         own message names /bin/sh, and the JDK's stream error names /proc/self/fd/N
     */
    private static IOException startFailure(SpawnRequest request, String what, IOException e) {
        String message = "cannot start program \"" + request.program() + "\": cannot set up " + what;
        if (e instanceof ErrnoException errno) {
            return Errno.exception(message + " (" + errno.getMessage() + ")", errno.errno());
        }
        if (FdReserve.isFdLimit(e)) {
            return Errno.exception(message + " (" + e.getMessage() + ")", LibC.EMFILE());
        }
        return e;
    }

    private static ChildStdio openStdio(SpawnRequest request, Arena arena, int givenStdin, int givenStdout)
            throws IOException {
        try {
            return ChildStdio.open(request, arena, givenStdin, givenStdout);
        } catch (IOException e) {
            throw startFailure(request, "its standard streams", e);
        }
    }

    private static void closeAll(ChildStdio.Streams streams) {
        if (streams == null) {
            return;
        }
        for (java.io.Closeable c : new java.io.Closeable[] {streams.stdin(), streams.stdout(), streams.stderr()}) {
            try {
                c.close();
            } catch (IOException ignored) {
                // The child is dead and reaped: nothing is lost with its pipe.
            }
        }
    }

    /** Undoes a spawn whose streams could not be set up: nothing may be left behind. */
    private static void killAndReap(int pid, boolean leader) {
        if (leader) {
            Posix.killpg(pid, LibC.SIGKILL()); // the sentinel too, if it was started
        } else {
            Posix.kill(pid, LibC.SIGKILL()); // unreaped, the pid is still our child's
        }
        Posix.wait4(pid, MemorySegment.NULL, 0, MemorySegment.NULL);
    }
}
