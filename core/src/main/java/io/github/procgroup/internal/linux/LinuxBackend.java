package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.Backend;
import io.github.procgroup.internal.ChildProcess;
import io.github.procgroup.internal.ContainmentRequest;
import io.github.procgroup.internal.SpawnRequest;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** Spawns children with posix_spawn into new process groups and watches them with pidfds. */
public final class LinuxBackend implements Backend {

    /**
     * The C library's {@code environ}: an unchanged environment is passed on byte for byte, as
     * the JDK does, rather than re-encoded from {@link System#getenv()}, which has already turned
     * bytes that are not valid in {@code sun.jnu.encoding} into replacement characters.
     */
    private static final class InheritedEnvironment {
        private static final MemorySegment ENVIRON = Linker.nativeLinker().defaultLookup().find("environ")
                .orElseThrow(() -> new IllegalStateException("the C library has no environ"))
                .reinterpret(ValueLayout.ADDRESS.byteSize());

        /** @return the current {@code char **environ}; read at each spawn, as native code may setenv */
        static MemorySegment envp() {
            return ENVIRON.get(ValueLayout.ADDRESS, 0);
        }
    }

    @Override
    public ChildProcess spawn(SpawnRequest request) throws IOException {
        checkDirectory(request.directory());
        if (request.killOnParentDeath() && request.newSession()) {
            // The sentinel (see ParentDeathSentinel) joins the child's group, which setpgid allows only
            // within the JVM's own session.
            throw new IllegalStateException("killOnParentDeath needs the child in the JVM's session: "
                    + "it cannot be combined with newSession");
        }
        String path = ProgramLocator.locate(request.program(), request.environment(), request.directory());
        CgroupSpawn cgroupSpawn = CgroupSpawn.prepare(request.containment()); // null: a process group only
        try {
            return spawn(request, path, cgroupSpawn);
        } catch (IOException | RuntimeException e) {
            if (cgroupSpawn != null) {
                cgroupSpawn.abandon(); // the child, if it was started, is dead and reaped by now
            }
            throw e;
        }
    }

    private ChildProcess spawn(SpawnRequest request, String path, CgroupSpawn cgroupSpawn) throws IOException {
        try (Arena arena = Arena.ofConfined(); ChildStdio stdio = ChildStdio.open(request, arena)) {
            MemorySegment envp = request.environment() == null
                    ? InheritedEnvironment.envp()
                    : CStrings.environment(arena, request.environment());
            // Under the subreaper's tracker, the environment marks the tree (see AdoptedOrphans).
            String treeToken = AdoptedOrphans.running() ? AdoptedOrphans.newToken() : null;
            if (treeToken != null) {
                envp = CStrings.withEntry(arena, envp, AdoptedOrphans.TREE_VARIABLE + "=" + treeToken);
            }
            int pgroup = request.newSession() ? PosixSpawner.NEW_SESSION : PosixSpawner.NEW_GROUP;
            int pid = cgroupSpawn == null
                    ? PosixSpawner.spawn(arena, path, request.command(), envp, stdio, request.directory(), pgroup)
                    : cgroupSpawn.spawn(arena, path, request.command(), envp, stdio, request.directory(), pgroup);
            ChildStdio.Streams streams;
            ParentDeathSentinel sentinel;
            CgroupTree cgroup = null;
            try {
                streams = stdio.streams();
                if (cgroupSpawn != null && cgroupSpawn.leaf() != null) {
                    cgroup = CgroupTree.watch(cgroupSpawn.leaf(), request.killOnJvmExit());
                }
                sentinel = request.killOnParentDeath()
                        ? ParentDeathSentinel.start(pid, cgroup == null ? null : cgroup.leaf().dir()) : null;
            } catch (IOException | RuntimeException e) {
                if (cgroup != null) {
                    cgroup.discard();
                }
                if (cgroupSpawn != null && cgroupSpawn.leaf() != null) {
                    cgroupSpawn.leaf().signalEach(LibC.SIGKILL()); // anything the child forked meanwhile
                }
                killAndReap(pid);
                throw e;
            }
            // pidfd_open fails with ENOSYS on old kernels or EMFILE when out of fds: the watcher
            // then falls back to a waiting thread for this child.
            int pidfd = Posix.pidfdOpen(pid, 0);
            LinuxProcess process = new LinuxProcess(pid, pidfd >= 0 ? pidfd : -1, streams, sentinel,
                    request.killOnJvmExit(), treeToken, cgroup);
            LiveTrees.add(process); // before the watcher can reap it: the orphan tracker must know the pid
            ExitWatcher.instance().watch(process);
            return process;
        }
    }

    /** One of procgroup's own helpers: its pid, and the parent's end of the pipe on its stdin. */
    record Helper(int pid, int stdinPipe) {
    }

    /**
     * Starts one of procgroup's own helpers: stdin a pipe whose write end the caller gets (raw,
     * O_CLOEXEC), stdout and stderr discarded, an empty environment, in /.
     *
     * @param argv   the program (an absolute path) and its arguments
     * @param pgroup the group to join (see {@link PosixSpawner#spawn})
     * @return its pid, which the caller reaps, and the write end, which the caller closes
     */
    static Helper spawnHelper(List<String> argv, int pgroup) throws ErrnoException {
        SpawnRequest request = new SpawnRequest(argv, null, Map.of(), Redirect.PIPE, Redirect.DISCARD,
                Redirect.DISCARD, false, false, false, false, ContainmentRequest.GROUP);
        try (Arena arena = Arena.ofConfined(); ChildStdio stdio = ChildStdio.open(request, arena)) {
            int pid = PosixSpawner.spawn(arena, argv.get(0), argv, CStrings.environment(arena, Map.of()), stdio,
                    new File("/"), pgroup);
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

    /** Undoes a spawn whose streams could not be set up: nothing may be left behind. */
    private static void killAndReap(int pid) {
        Posix.killpg(pid, LibC.SIGKILL()); // the sentinel too, if it was started
        Posix.wait4(pid, MemorySegment.NULL, 0, MemorySegment.NULL);
    }
}
