package io.github.procgroup.internal.linux;

import io.github.procgroup.ErrnoException;
import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.GroupPlacement;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code posix_spawn} call: the child leads a new process group (or session), starts with
 * default signal dispositions and an empty signal mask, and keeps only fds 0-2.
 *
 * <p>glibc's posix_spawn uses {@code clone(CLONE_VM|CLONE_VFORK)}: no page tables are copied
 * and no Java code runs in the child, so it is safe from a multi-threaded JVM of any heap size.
 */
final class PosixSpawner {
    /** The fds every child gets from its {@link ChildStdio}: 0, 1 and 2; all above are closed. */
    private static final int STDIO_FDS = 3;
    /** For {@code posix_spawnattr_setpgroup}: the child's pgid becomes its own pid. */
    private static final int OWN_PID = 0;

    /** glibc 2.34+; without it the child would inherit every fd of the JVM that lacks O_CLOEXEC. */
    static final boolean HAS_CLOSEFROM = Downcalls.exists(SpawnCalls.FA_ADDCLOSEFROM);
    /** glibc 2.29+. */
    static final boolean HAS_ADDCHDIR = Downcalls.exists(SpawnCalls.FA_ADDCHDIR);
    private static final String SHELL = "/bin/sh";

    private PosixSpawner() {
    }

    /**
     * Starts {@code path} with {@code argv}; a file the kernel refuses with ENOEXEC (a script
     * without a shebang) is run again by {@code /bin/sh}, as execvp and the JDK do.
     *
     * @param path       the file to exec (see {@link ProgramLocator})
     * @param argv       the argument vector; argv[0] is the program as the user named it
     * @param envp       a NULL-terminated {@code char*[]}
     * @param stdio      the child's fds 0-2
     * @param directory  the child's working directory, or null
     * @param placement  the group the child leads or joins
     * @return the child's pid
     * @throws ErrnoException naming the program, with posix_spawn's error
     */
    static int spawn(Arena arena, String path, List<String> argv, MemorySegment envp, ChildStdio stdio,
                     File directory, GroupPlacement placement) throws ErrnoException {
        return spawn(arena, path, argv, envp, stdio, directory, placement, null);
    }

    /**
     * What a caller adds to one spawn beyond stdio, directory and group (the cgroup placement,
     * see {@link CgroupSpawn}).
     */
    interface Extras {
        /**
         * Adds file actions after the stdio dup2s.
         *
         * @return the lowest fd the child must not keep (3 if it keeps none beyond stdio)
         */
        int addFileActions(Arena arena, MemorySegment actions) throws ErrnoException;

        /** @return posix_spawnattr flags to add, after setting on {@code attr} what they need */
        int addAttributes(Arena arena, MemorySegment attr) throws ErrnoException;
    }

    /** As {@link #spawn(Arena, String, List, MemorySegment, ChildStdio, File, GroupPlacement)}, with {@code extras} (or null). */
    static int spawn(Arena arena, String path, List<String> argv, MemorySegment envp, ChildStdio stdio,
                     File directory, GroupPlacement placement, Extras extras) throws ErrnoException {
        MemorySegment actions = SpawnCalls.allocateFileActions(arena);
        check(SpawnCalls.fileActionsInit(actions), "posix_spawn_file_actions_init");
        try {
            addFileActions(arena, actions, stdio, directory, extras);
            MemorySegment shared = extras == null ? SharedAttributes.of(placement) : null;
            if (shared != null) {
                return spawn(arena, path, argv, envp, directory, actions, shared);
            }
            MemorySegment attr = SpawnCalls.allocateAttributes(arena);
            check(SpawnCalls.attrInit(attr), "posix_spawnattr_init");
            try {
                setAttributes(arena, attr, placement, extras);
                return spawn(arena, path, argv, envp, directory, actions, attr);
            } finally {
                SpawnCalls.attrDestroy(attr);
            }
        } finally {
            SpawnCalls.fileActionsDestroy(actions);
        }
    }

    private static int spawn(Arena arena, String path, List<String> argv, MemorySegment envp, File directory,
                             MemorySegment actions, MemorySegment attr) throws ErrnoException {
        MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
        int error = SpawnCalls.spawn(pid, arena.allocateFrom(path), actions, attr, CStrings.array(arena, argv), envp);
        if (error == LibC.ENOEXEC()) {
            List<String> viaShell = new ArrayList<>(argv.size() + 1);
            viaShell.add(SHELL);
            viaShell.add(path);
            viaShell.addAll(argv.subList(1, argv.size()));
            error = SpawnCalls.spawn(pid, arena.allocateFrom(SHELL), actions, attr, CStrings.array(arena, viaShell), envp);
        }
        if (error != 0) {
            throw Errno.exception("cannot run program \"" + argv.get(0) + "\""
                    + (path.equals(argv.get(0)) ? "" : " (" + path + ")")
                    + (directory == null ? "" : " in directory \"" + directory + "\"")
                    + (error == LibC.ENOENT() ? missingInterpreter(path, directory) : ""), error);
        }
        return pid.get(ValueLayout.JAVA_INT, 0);
    }

    /**
     * The attributes of every spawn that leads a new group or session and adds nothing (no cgroup):
     * they are the same each time, so they are set once, kept for the JVM's life, and shared by all
     * threads (posix_spawn only reads them: its attribute argument is {@code const}).
     */
    private static final class SharedAttributes {
        private static final MemorySegment NEW_GROUP = build(GroupPlacement.NEW_GROUP);
        private static final MemorySegment NEW_SESSION = build(GroupPlacement.NEW_SESSION);

        /** @return the shared attributes for {@code placement}, or null for a group to join */
        static MemorySegment of(GroupPlacement placement) {
            return placement instanceof GroupPlacement.NewGroup ? NEW_GROUP
                    : placement instanceof GroupPlacement.NewSession ? NEW_SESSION : null;
        }

        private static MemorySegment build(GroupPlacement placement) {
            Arena forever = Arena.global(); // never destroyed: glibc's posix_spawnattr_destroy frees nothing
            MemorySegment attr = SpawnCalls.allocateAttributes(forever);
            try {
                check(SpawnCalls.attrInit(attr), "posix_spawnattr_init");
                setAttributes(forever, attr, placement, null);
            } catch (ErrnoException e) {
                // EINVAL only, for values that are constants here: a C library procgroup cannot work with.
                throw new IllegalStateException("cannot set up posix_spawn's attributes: " + e.getMessage(), e);
            }
            return attr;
        }
    }

    /**
     * execve reports ENOENT for a script whose {@code #!} interpreter is missing, as if the
     * script itself were: name the interpreter then, so the error points at the real cause.
     *
     * @return a note naming the missing interpreter, or "" if {@code path} is no such script
     */
    private static String missingInterpreter(String path, File directory) {
        Path file = directory == null ? Path.of(path) : directory.toPath().resolve(path);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String first = reader.readLine();
            if (first != null && first.startsWith("#!")) {
                String interpreter = first.substring(2).strip().split("[ \t]", 2)[0];
                return ": its interpreter \"" + interpreter + "\" is missing";
            }
        } catch (IOException | RuntimeException notAReadableScript) {
            // The program itself is missing (the usual ENOENT), or unreadable: nothing to add.
        }
        return "";
    }

    private static void addFileActions(Arena arena, MemorySegment actions, ChildStdio stdio, File directory,
                                       Extras extras) throws ErrnoException {
        for (int fd = 0; fd < STDIO_FDS; fd++) {
            if (fd == 2 && stdio.errorToOutput()) {
                // File actions run in order: fd 1 is already in place.
                check(SpawnCalls.addDup2(actions, 1, 2), "posix_spawn_file_actions_adddup2");
            } else if (stdio.childFd(fd) != ChildStdio.INHERIT) {
                check(SpawnCalls.addDup2(actions, stdio.childFd(fd), fd),
                        "posix_spawn_file_actions_adddup2");
            }
        }
        int closeFrom = extras == null ? STDIO_FDS : extras.addFileActions(arena, actions);
        if (HAS_CLOSEFROM) {
            check(SpawnCalls.addCloseFrom(actions, closeFrom), "posix_spawn_file_actions_addclosefrom_np");
        } else if (closeFrom != STDIO_FDS) {
            throw new UnsupportedOperationException("keeping fds beyond stdio needs posix_spawn_file_actions_addclosefrom_np"
                    + " (glibc 2.34+)");
        } else {
            OpenFds.addCloseActions(actions);
        }
        if (directory != null) {
            if (!HAS_ADDCHDIR) {
                throw new UnsupportedOperationException(
                        "this C library lacks posix_spawn_file_actions_addchdir_np (glibc 2.29+): cannot set a directory");
            }
            check(SpawnCalls.addChdir(actions, arena.allocateFrom(directory.getPath())),
                    "posix_spawn_file_actions_addchdir_np");
        }
    }

    private static void setAttributes(Arena arena, MemorySegment attr, GroupPlacement placement, Extras extras)
            throws ErrnoException {
        // SETSIGDEF with a full set: signals the JVM ignores (SIG_IGN survives exec) start at SIG_DFL.
        // Every bit is set by hand, not with sigfillset: that leaves out glibc's internal signals 32
        // and 33, which glibc's posix_spawn then sets to SIG_IGN in the child (its vfork child must
        // not run their handlers) and which stay ignored across exec, as in every JDK child.
        // SIG_DFL for them is safe there: all signals stay blocked until just before the exec, and
        // glibc sends them only to threads of the JVM, never to the child.
        MemorySegment allSignals = SpawnCalls.allocateSignalSet(arena);
        allSignals.fill((byte) 0xff);
        check(SpawnCalls.setSigDefault(attr, allSignals), "posix_spawnattr_setsigdefault");
        // SETSIGMASK with an empty set: the mask of the calling JVM thread would survive exec otherwise.
        MemorySegment noSignals = SpawnCalls.allocateSignalSet(arena);
        SpawnCalls.sigEmptySet(noSignals);
        check(SpawnCalls.setSigMask(attr, noSignals), "posix_spawnattr_setsigmask");
        int flags = LibC.POSIX_SPAWN_SETSIGDEF() | LibC.POSIX_SPAWN_SETSIGMASK();
        // An if chain, not a pattern switch: that would spin a class at the first spawn's start-up.
        if (placement instanceof GroupPlacement.NewSession) {
            flags |= LibC.POSIX_SPAWN_SETSID(); // setsid also makes it a group leader
        } else if (placement instanceof GroupPlacement.JoinGroup join) {
            flags |= LibC.POSIX_SPAWN_SETPGROUP();
            check(SpawnCalls.setPgroup(attr, Math.toIntExact(join.processGroupId())), "posix_spawnattr_setpgroup");
        } else {
            flags |= LibC.POSIX_SPAWN_SETPGROUP(); // NewGroup
            check(SpawnCalls.setPgroup(attr, OWN_PID), "posix_spawnattr_setpgroup");
        }
        if (extras != null) {
            flags |= extras.addAttributes(arena, attr);
        }
        check(SpawnCalls.setFlags(attr, (short) flags), "posix_spawnattr_setflags");
    }

    /** The posix_spawn* helpers return an error number instead of setting errno. */
    private static void check(int error, String call) throws ErrnoException {
        if (error != 0) {
            throw Errno.exception(call, error);
        }
    }
}
