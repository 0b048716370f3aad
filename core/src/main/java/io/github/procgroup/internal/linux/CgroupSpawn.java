package io.github.procgroup.internal.linux;

import io.github.procgroup.Containment;
import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.ContainmentRequest;
import io.github.procgroup.internal.GroupPlacement;
import io.github.procgroup.internal.linux.cgroup.CgroupLeaf;
import io.github.procgroup.internal.linux.cgroup.CgroupLimits;
import io.github.procgroup.internal.linux.cgroup.CgroupParent;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts one child inside a fresh leaf cgroup, so that it is a member before it runs a single
 * instruction of the program.
 *
 * <p>With glibc 2.39+ ({@code posix_spawnattr_setcgroup_np}, probed at run time) glibc's clone3
 * puts the child there itself (CLONE_INTO_CGROUP). Before that, the child is spawned as a gate:
 * {@code /bin/sh} blocked reading one byte from a pipe on its fd 3, with the user's stdio,
 * directory, environment and group already in place; the JVM writes its pid into the leaf's
 * cgroup.procs and only then releases the gate, which closes fd 3 and execs the program. No
 * Java code ever runs in a child, so this is as FFM-safe as every other spawn. If the JVM dies
 * before the release, the gate reads end of file and exits 125 without running the program.
 */
final class CgroupSpawn {
    /** Whether the C library has posix_spawnattr_setcgroup_np (glibc 2.39+): only then is it called. */
    private static final boolean HAS_SETCGROUP = Downcalls.exists(SpawnCalls.ATTR_SETCGROUP);
    /** System property: {@code gate} makes every cgroup spawn use the gate (to test it on glibc 2.39+). */
    static final String METHOD_PROPERTY = "procgroup.cgroup.spawn";
    private static final String GATE_SCRIPT = "IFS= read -r go <&3 || exit 125; exec 3<&-; exec \"$@\"";
    private static final int GATE_FD = 3;
    private static final String SHELL = "/bin/sh";

    private final Containment asked;
    private CgroupLeaf leaf; // null once the child fell back to its group (AUTO)

    private CgroupSpawn(Containment asked, CgroupLeaf leaf) {
        this.asked = asked;
        this.leaf = leaf;
    }

    /**
     * Creates the leaf the request asks for (with its limits written), before anything is spawned.
     *
     * @return the placement, or null if the child gets only its group (GROUP, or AUTO falling back)
     * @throws ErrnoException        CGROUP only: the leaf cannot be created (EACCES, EROFS...)
     * @throws IllegalStateException CGROUP only: no usable cgroup v2; or a limit that cannot be enforced
     */
    static CgroupSpawn prepare(ContainmentRequest request) throws ErrnoException {
        Containment asked = request.containment();
        if (asked == Containment.GROUP) {
            if (request.limits().any()) {
                CgroupParent.skipOrFail(request.limits(), "limits on Linux need Containment.CGROUP or AUTO "
                        + "(they are written into the child's cgroup): " + request.limits());
            }
            return null;
        }
        if (!PosixSpawner.HAS_CLOSEFROM && !hasSetCgroup()) {
            return fallBack(asked, request, "the cgroup gate needs posix_spawn_file_actions_addclosefrom_np (glibc 2.34+)");
        }
        CgroupParent.Found parent = CgroupParent.find(request.cgroupParent());
        if (parent.dir() == null) {
            return fallBack(asked, request, parent.whyNot());
        }
        List<String> skipped = new ArrayList<>();
        CgroupLimits limits = CgroupLimits.plan(parent.dir(), request.limits(), skipped);
        for (String skip : skipped) { // no method reference: the first CGROUP spawn runs this (see package-info)
            CgroupParent.logSkipped(skip);
        }
        CgroupLeaf leaf;
        try {
            leaf = CgroupLeaf.create(parent.dir(), CgroupParent.newLeafName());
        } catch (ErrnoException e) {
            if (asked == Containment.CGROUP) {
                throw e;
            }
            return fallBack(asked, request, e.getMessage());
        }
        try {
            limits.applyTo(leaf);
        } catch (ErrnoException | RuntimeException e) {
            leaf.remove();
            throw e;
        }
        return new CgroupSpawn(asked, leaf);
    }

    private static CgroupSpawn fallBack(Containment asked, ContainmentRequest request, String why) {
        if (asked == Containment.CGROUP) {
            throw new IllegalStateException("Containment.CGROUP: " + why);
        }
        if (request.limits().any()) {
            CgroupParent.skipOrFail(request.limits(), "limits need a cgroup, and none is usable: " + why);
        }
        CgroupParent.logFallback(why);
        return null;
    }

    /** @return the child's leaf, or null if it fell back to its group */
    CgroupLeaf leaf() {
        return leaf;
    }

    static boolean hasSetCgroup() {
        return HAS_SETCGROUP && !"gate".equals(System.getProperty(METHOD_PROPERTY));
    }

    /**
     * Spawns the child into the leaf, as {@link PosixSpawner#spawn} spawns it into its group.
     *
     * @return the child's pid; on failure nothing is left running and the leaf is removed
     */
    int spawn(Arena arena, String path, List<String> argv, MemorySegment envp, ChildStdio stdio,
              File directory, GroupPlacement placement) throws ErrnoException {
        try {
            if (!hasSetCgroup()) {
                return spawnGated(arena, path, argv, envp, stdio, directory, placement);
            }
            try {
                return spawnInto(arena, path, argv, envp, stdio, directory, placement);
            } catch (ErrnoException intoCgroup) {
                if (asked == Containment.CGROUP) {
                    throw intoCgroup;
                }
                // AUTO: the cgroup or the program may be at fault. Without the cgroup, a program
                // error fails again (and that error is the one to report); success means it was the cgroup.
                int pid = PosixSpawner.spawn(arena, path, argv, envp, stdio, directory, placement);
                abandon();
                CgroupParent.logFallback(intoCgroup.getMessage());
                return pid;
            }
        } catch (ErrnoException | RuntimeException e) {
            abandon();
            throw e;
        }
    }

    /** glibc 2.39+: clone3(CLONE_INTO_CGROUP) through posix_spawnattr_setcgroup_np. */
    private int spawnInto(Arena arena, String path, List<String> argv, MemorySegment envp, ChildStdio stdio,
                          File directory, GroupPlacement placement) throws ErrnoException {
        int dirFd = Posix.open(arena.allocateFrom(leaf.dir().toString()),
                LibC.O_RDONLY() | LibC.O_DIRECTORY() | LibC.O_CLOEXEC(), 0);
        if (dirFd < 0) {
            throw Errno.exception("cannot open cgroup " + leaf, -dirFd);
        }
        try {
            return PosixSpawner.spawn(arena, path, argv, envp, stdio, directory, placement, new PosixSpawner.Extras() {
                @Override
                public int addFileActions(Arena a, MemorySegment actions) {
                    return 3;
                }

                @Override
                public int addAttributes(Arena a, MemorySegment attr) throws ErrnoException {
                    // Through the one downcall shape, as every spawn call: jextract's own function
                    // holder would link a handle of its own at the first CGROUP spawn.
                    int error = SpawnCalls.setCgroup(attr, dirFd);
                    if (error != 0) {
                        throw Errno.exception("posix_spawnattr_setcgroup_np", error);
                    }
                    return LibC.POSIX_SPAWN_SETCGROUP();
                }
            });
        } finally {
            Posix.close(dirFd);
        }
    }

    /** Before glibc 2.39: the /bin/sh gate (see the class comment). */
    private int spawnGated(Arena arena, String path, List<String> argv, MemorySegment envp, ChildStdio stdio,
                           File directory, GroupPlacement placement) throws ErrnoException {
        GatePrecheck.check(path, argv.get(0), directory);
        MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
        int r = Posix.pipe2(ends, LibC.O_CLOEXEC());
        if (r < 0) {
            throw Errno.exception("cannot create the cgroup gate's pipe", -r);
        }
        int gateRead = ends.getAtIndex(ValueLayout.JAVA_INT, 0);
        int gateWrite = ends.getAtIndex(ValueLayout.JAVA_INT, 1);
        int pid;
        try {
            List<String> gate = new ArrayList<>(argv.size() + 4);
            gate.addAll(List.of(SHELL, "-c", GATE_SCRIPT, argv.get(0), path));
            gate.addAll(argv.subList(1, argv.size()));
            pid = PosixSpawner.spawn(arena, SHELL, gate, envp, stdio, directory, placement, new PosixSpawner.Extras() {
                @Override
                public int addFileActions(Arena a, MemorySegment actions) throws ErrnoException {
                    int error = SpawnCalls.addDup2(actions, gateRead, GATE_FD);
                    if (error != 0) {
                        throw Errno.exception("posix_spawn_file_actions_adddup2", error);
                    }
                    return GATE_FD + 1;
                }

                @Override
                public int addAttributes(Arena a, MemorySegment attr) {
                    return 0;
                }
            });
        } catch (ErrnoException | RuntimeException e) {
            Posix.close(gateWrite);
            throw e;
        } finally {
            Posix.close(gateRead);
        }
        try {
            leaf.moveIn(pid);
        } catch (ErrnoException e) {
            if (asked == Containment.CGROUP) {
                Posix.close(gateWrite); // the gate reads end of file and exits without running the program
                Posix.kill(pid, LibC.SIGKILL()); // unreaped, the pid is still our gate's
                Posix.wait4(pid, MemorySegment.NULL, 0, MemorySegment.NULL);
                throw e;
            }
            abandon(); // AUTO: the child runs in its group only
            CgroupParent.logFallback(e.getMessage());
        }
        release(gateWrite);
        return pid;
    }

    private static void release(int gateWrite) {
        try (Arena arena = Arena.ofConfined()) {
            // One byte and a newline for read; EPIPE if the gate was killed meanwhile: its exit tells.
            MemorySegment newline = arena.allocate(1);
            newline.set(ValueLayout.JAVA_BYTE, 0, (byte) '\n');
            Posix.write(gateWrite, newline);
        } finally {
            Posix.close(gateWrite);
        }
    }

    /** Removes the leaf of a child that is not (or no longer) in it. */
    void abandon() {
        if (leaf != null) {
            leaf.remove();
            leaf = null;
        }
    }
}
