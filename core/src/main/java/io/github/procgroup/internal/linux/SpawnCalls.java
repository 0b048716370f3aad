package io.github.procgroup.internal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.ref.Reference;

/**
 * posix_spawn and its helpers, called through {@link Downcalls}' shared shapes (so a first spawn
 * links 4 shapes for these 14 functions, 3 of them shared with the other calls of a spawn). Each returns an error number, never sets errno that
 * matters: 0 on success.
 */
final class SpawnCalls {
    // The sizes of glibc's structs on LP64 Linux (x86_64 and aarch64 alike), allocated by procgroup
    // and filled only through the calls below. Not taken from jextract's classes, whose class
    // initialisation builds VarHandles for the structs' array fields: a sixth of a first spawn's
    // time. LinuxLayoutTest checks them against the generated layouts.
    /** sizeof(posix_spawn_file_actions_t). */
    static final long FILE_ACTIONS_SIZE = 80;
    /** sizeof(posix_spawnattr_t). */
    static final long ATTR_SIZE = 336;
    /** sizeof(sigset_t). */
    static final long SIGSET_SIZE = 128;
    /** The alignment of all three (they hold pointers or longs). */
    static final long STRUCT_ALIGNMENT = 8;

    private static final MemorySegment SPAWN = Downcalls.required("posix_spawn");
    private static final MemorySegment FA_INIT = Downcalls.required("posix_spawn_file_actions_init");
    private static final MemorySegment FA_DESTROY = Downcalls.required("posix_spawn_file_actions_destroy");
    private static final MemorySegment FA_ADDDUP2 = Downcalls.required("posix_spawn_file_actions_adddup2");
    /** glibc 2.34+. */
    static final MemorySegment FA_ADDCLOSEFROM = Downcalls.symbol("posix_spawn_file_actions_addclosefrom_np");
    /** glibc 2.29+. */
    static final MemorySegment FA_ADDCHDIR = Downcalls.symbol("posix_spawn_file_actions_addchdir_np");
    private static final MemorySegment ATTR_INIT = Downcalls.required("posix_spawnattr_init");
    private static final MemorySegment ATTR_DESTROY = Downcalls.required("posix_spawnattr_destroy");
    private static final MemorySegment ATTR_SETSIGDEFAULT = Downcalls.required("posix_spawnattr_setsigdefault");
    private static final MemorySegment ATTR_SETSIGMASK = Downcalls.required("posix_spawnattr_setsigmask");
    private static final MemorySegment ATTR_SETPGROUP = Downcalls.required("posix_spawnattr_setpgroup");
    private static final MemorySegment ATTR_SETFLAGS = Downcalls.required("posix_spawnattr_setflags");
    private static final MemorySegment SIGEMPTYSET = Downcalls.required("sigemptyset");
    /** glibc 2.39+: {@link MemorySegment#NULL} where the C library has none. */
    static final MemorySegment ATTR_SETCGROUP = Downcalls.symbol("posix_spawnattr_setcgroup_np");

    private SpawnCalls() {
    }

    /** @return a zeroed posix_spawn_file_actions_t, for {@link #fileActionsInit} */
    static MemorySegment allocateFileActions(SegmentAllocator arena) {
        return arena.allocate(FILE_ACTIONS_SIZE, STRUCT_ALIGNMENT);
    }

    /** @return a zeroed posix_spawnattr_t, for {@link #attrInit} */
    static MemorySegment allocateAttributes(SegmentAllocator arena) {
        return arena.allocate(ATTR_SIZE, STRUCT_ALIGNMENT);
    }

    /** @return a zeroed (empty) sigset_t */
    static MemorySegment allocateSignalSet(SegmentAllocator arena) {
        return arena.allocate(SIGSET_SIZE, STRUCT_ALIGNMENT);
    }

    static int spawn(MemorySegment pid, MemorySegment path, MemorySegment actions, MemorySegment attr,
                     MemorySegment argv, MemorySegment envp) {
        try {
            return Downcalls.int6(SPAWN, pid.address(), path.address(), actions.address(), attr.address(),
                    argv.address(), envp.address());
        } finally {
            // The segments stay reachable until the call has returned: see Downcalls.
            Reference.reachabilityFence(pid);
            Reference.reachabilityFence(path);
            Reference.reachabilityFence(actions);
            Reference.reachabilityFence(attr);
            Reference.reachabilityFence(argv);
            Reference.reachabilityFence(envp);
        }
    }

    static int fileActionsInit(MemorySegment actions) {
        return ofPointer(FA_INIT, actions);
    }

    static int fileActionsDestroy(MemorySegment actions) {
        return ofPointer(FA_DESTROY, actions);
    }

    static int addDup2(MemorySegment actions, int fd, int newFd) {
        try {
            return Downcalls.int3(FA_ADDDUP2, actions.address(), fd, newFd);
        } finally {
            Reference.reachabilityFence(actions);
        }
    }

    /** Only where {@link #ATTR_SETCGROUP} exists: the child is created in the cgroup open as {@code cgroupFd}. */
    static int setCgroup(MemorySegment attr, int cgroupFd) {
        return ofPointerInt(ATTR_SETCGROUP, attr, cgroupFd);
    }

    /** Only where {@link #FA_ADDCLOSEFROM} exists. */
    static int addCloseFrom(MemorySegment actions, int lowFd) {
        return ofPointerInt(FA_ADDCLOSEFROM, actions, lowFd);
    }

    /** Only where {@link #FA_ADDCHDIR} exists. */
    static int addChdir(MemorySegment actions, MemorySegment path) {
        return ofPointers(FA_ADDCHDIR, actions, path);
    }

    static int attrInit(MemorySegment attr) {
        return ofPointer(ATTR_INIT, attr);
    }

    static int attrDestroy(MemorySegment attr) {
        return ofPointer(ATTR_DESTROY, attr);
    }

    static int setSigDefault(MemorySegment attr, MemorySegment signals) {
        return ofPointers(ATTR_SETSIGDEFAULT, attr, signals);
    }

    static int setSigMask(MemorySegment attr, MemorySegment signals) {
        return ofPointers(ATTR_SETSIGMASK, attr, signals);
    }

    static int setPgroup(MemorySegment attr, int pgid) {
        return ofPointerInt(ATTR_SETPGROUP, attr, pgid);
    }

    /** posix_spawnattr_setflags takes a short: passed in a long of the same value (see Downcalls). */
    static int setFlags(MemorySegment attr, short flags) {
        return ofPointerInt(ATTR_SETFLAGS, attr, flags);
    }

    /** sigemptyset(3): returns 0 (or -1 with errno EINVAL, never for a valid pointer). */
    static int sigEmptySet(MemorySegment set) {
        return ofPointer(SIGEMPTYSET, set);
    }

    private static int ofPointer(MemorySegment function, MemorySegment a) {
        try {
            return Downcalls.int1(function, a.address());
        } finally {
            Reference.reachabilityFence(a);
        }
    }

    private static int ofPointerInt(MemorySegment function, MemorySegment a, int b) {
        try {
            return Downcalls.int2(function, a.address(), b);
        } finally {
            Reference.reachabilityFence(a);
        }
    }

    private static int ofPointers(MemorySegment function, MemorySegment a, MemorySegment b) {
        try {
            return Downcalls.int2(function, a.address(), b.address());
        } finally {
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);
        }
    }
}
