package io.github.procgroup.internal.linux;

import io.github.procgroup.internal.linux.ProcTable.Snapshot;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists one tree's processes without reading every process on the host: from the tree's own
 * processes down through {@code /proc/PID/task/TID/children}, plus the direct children of the
 * processes an orphan of the tree can have been re-parented to.
 *
 * <p>Why this finds every process a host-wide listing would attribute to the tree: a process of
 * the tree is a root (the unreaped leader, a remembered process), a descendant of one by parent
 * links, or one whose parent link to the tree broke because a parent died. The kernel re-parents
 * such an orphan to another thread of the dying process, else to the nearest ancestor of it that
 * is a child subreaper, else to the pid namespace's init. The dying process descends from the
 * JVM, so those are processes of the tree (walked anyway), the JVM (a subreaper: then the caller
 * uses the host-wide listing, see {@link TreeView#snapshot}) or an ancestor of the JVM up to init.
 * The ancestors' children are read <em>after</em> the walk, and again after each walk from an
 * orphan they showed: a process whose children file was read before its parent died was seen
 * there; one whose parent died before that read had been re-parented by then (the kernel
 * re-parents before the dying process becomes a zombie), so it is among the ancestors' children
 * read later. Those children belong to the tree if they are in its process group (the remembered
 * ones, escapees in groups of their own, are roots and found as such): getpgid(2), one system call
 * that also answers for a zombie, decides before a child's stat is read, so the children of init
 * (and of a subreaper such as {@code systemd --user}), most of which are not the tree's, cost a
 * call each rather than an open, a read and a close of a file the kernel formats. The caller's
 * tree search decides the rest as on a full listing.
 *
 * <p>The ancestors are taken once: an ancestor that dies re-parents its children to an ancestor
 * further up (or init), already on the list, so the list can only hold too many, never too few.
 *
 * <p>As with a listing of all of /proc, a process re-parented <em>inside</em> the tree while the
 * listing runs (to a process of the tree that is itself a subreaper or a pid namespace's init,
 * whose children were read before) is seen by the next listing, not this one; the kill loops
 * list again until nothing runs. Such a move needs a process of the tree to die while the
 * listing runs, and a kill round's walk notices every such death it can have missed a process by
 * (a process gone or a zombie when read, a thread list that kept changing, a child reaped while
 * its reaper's file was read, a process read as running that has exited by the end, see
 * {@link PidfdWait#anyExited}). A listing that noticed none carries the pid namespace's cursor
 * ({@link PidCursor}, read before the walk began): it held every process the tree had then, so
 * while the cursor stays put (nothing created since) and each of them has exited, the tree is
 * over without another listing ({@link GroupMembership#awaitListedEnd}).
 *
 * <p>Where the kernel has no children files (built without {@code CONFIG_PROC_CHILDREN}),
 * {@link #available()} is false and callers list the whole of /proc ({@link ProcTable#snapshot}).
 */
final class TreeWalk {
    private static final Path PROC = Path.of("/proc");
    /**
     * Whether this kernel has the children files: probed on the calling thread's own (every thread
     * has one, or none does; /proc/thread-self is Linux 3.17+, and without it the host-wide listing is
     * used, which is always right).
     */
    private static final boolean KERNEL_HAS_CHILDREN = Files.isReadable(Path.of("/proc/thread-self/children"));
    private static final int MAX_PASSES = 4;
    private static volatile boolean disabled; // test seam: as on a kernel without the children files
    private static volatile long[] ancestors; // the JVM's, parent first, up to the namespace's init; taken once

    /** One process to start from: its pid, and the start time it must have ({@link #ANY_START} for the leader). */
    record Root(long pid, long startTime) {
    }

    /** {@link Root#startTime()} for a root whose pid is certainly it (the unreaped leader). */
    static final long ANY_START = -1;

    /**
     * Loads this class and those a listing and a wait use, while an fd is to be had: a class
     * loaded from a class-path directory needs an fd, and a tree must be listable at the fd limit
     * (in the shutdown hook too).
     */
    static void load() {
        new Root(0, ANY_START).pid();
        SelfPid.class.getName(); // loaded; initialised (getpid, no fd needed) by the first listing
        new Entry(null, 0).threads();
        ProcFile.load();
        PidCursor.lastField(new byte[0]);
        PidfdWait.load();
    }

    /** @return whether trees can be listed by their children files (else only by the host-wide listing) */
    static boolean available() {
        return KERNEL_HAS_CHILDREN && !disabled;
    }

    /** Test seam: makes {@link #available()} false, as on a kernel without CONFIG_PROC_CHILDREN. */
    static void disableForTests(boolean disable) {
        disabled = disable;
    }

    /**
     * @param roots   the tree's own processes to start from, the remembered escapees among them
     * @param groupId the tree's process group: a child of an ancestor of the JVM (an orphan, or a
     *                stranger) in it is walked from
     * @param proving whether the listing is to vouch for holding the whole tree (a kill round's, for
     *                {@link GroupMembership#awaitListedEnd}): only then does it read the pid cursor
     *                and make the checks that notice a death while it ran, which a listing for
     *                {@code tree()} does not need
     * @return the listing: the roots found, what descends from them, and the children of the
     *         JVM's ancestors in {@code groupId}, with what descends from those; when proving, with
     *         the pid cursor ({@link Snapshot#pidCursor}) if no process it looked at died while it ran
     * @throws IllegalStateException naming the cause if /proc cannot be read (at the fd limit even
     *                               with {@link FdReserve}'s spares released)
     */
    static Snapshot list(List<Root> roots, long groupId, boolean proving) {
        Set<Long> lookedFor = new HashSet<>();
        for (Root r : roots) { // a loop, not a lambda: see "Code that runs cold" in package-info
            lookedFor.add(r.pid());
        }
        try {
            return new TreeWalk(groupId, proving).listing(roots, lookedFor);
        } catch (IOException | UncheckedIOException e) {
            if (!FdReserve.isFdLimit(e)) {
                throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
            }
            return FdReserve.withSpareFds(() -> {
                try {
                    return new TreeWalk(groupId, proving).listing(roots, lookedFor);
                } catch (IOException | UncheckedIOException again) {
                    throw new IllegalStateException("cannot list /proc, even with procgroup's spare fds released: "
                            + again.getMessage(), again);
                }
            });
        }
    }

    private final long groupId;
    private final Map<Long, Stat> found = new LinkedHashMap<>();
    private final Deque<Long> todo = new ArrayDeque<>();
    /**
     * Whether the listing may miss a process the tree had when it began, and so carries no pid
     * cursor: it is not proving, or a process it looked at died while it ran, or may have (its
     * children may then have moved to a process whose children file was read before, or a
     * children file may have skipped one, see {@link #reapersChildren}). Once set, the checks that
     * look for such a death are not made.
     */
    private boolean mayMiss;

    private TreeWalk(long groupId, boolean proving) {
        this.groupId = groupId;
        this.mayMiss = !proving;
    }

    private Snapshot listing(List<Root> roots, Set<Long> lookedFor) throws IOException {
        long takenAt = System.nanoTime();
        // Before the first read: a process created later moves it.
        long cursor = mayMiss ? PidCursor.UNKNOWN : PidCursor.read();
        List<Stat> processes = walk(roots);
        return new Snapshot(takenAt, processes, lookedFor, mayMiss ? PidCursor.UNKNOWN : cursor);
    }

    private List<Stat> walk(List<Root> roots) throws IOException {
        for (Root root : roots) {
            Entry e = read(root.pid());
            if (e != null && (root.startTime() == ANY_START || e.stat.startTime() == root.startTime())) {
                found.put(root.pid(), e.stat);
                addChildren(e);
            } else {
                mayMiss = true; // a remembered process gone (or its pid reused): it may have died just now
            }
        }
        descend();
        long[] reapers = ancestors();
        Set<Long> skipped = new HashSet<>(); // ancestors' children seen this round and left out
        for (long a : reapers) {
            skipped.add(a);
        }
        skipped.add(SelfPid.PID);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (long reaper : reapers) {
                for (long child : reapersChildren(reaper)) {
                    boolean known = found.containsKey(child) || skipped.contains(child);
                    if (known && mayMiss) {
                        continue; // nothing to confirm: this listing carries no cursor anyway
                    }
                    // Its group first (see the class comment): another group, and it is not the tree's.
                    // Asked of known children too while the listing may still carry the cursor: it
                    // confirms the child was not reaped while the file was read (see reapersChildren).
                    long pgid = Posix.getpgid((int) child);
                    if (pgid < 0) {
                        mayMiss = true; // ESRCH: reaped since the file was read
                        continue;
                    }
                    if (known) {
                        continue;
                    }
                    Entry e = pgid == groupId ? read(child) : null;
                    if (e != null && e.stat.pgid() == groupId) { // the stat's word, should it have moved meanwhile
                        found.put(child, e.stat);
                        addChildren(e);
                        grew = true;
                    } else {
                        mayMiss |= pgid == groupId; // in the group a moment ago, gone (or moved) now
                        skipped.add(child);
                    }
                }
            }
            descend();
        }
        if (!mayMiss) {
            // A process's stat is read before its children files, so one that died in between shows an
            // empty list (its children moved on, perhaps to a subreaper of the tree read before).
            mayMiss = PidfdWait.anyExited(found.values());
        }
        return new ArrayList<>(found.values());
    }

    /** Reads every pid in {@link #todo} and what descends from it, into {@link #found}. */
    private void descend() throws IOException {
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            if (found.containsKey(pid)) {
                continue;
            }
            Entry e = read(pid);
            if (e != null) {
                found.put(pid, e.stat);
                addChildren(e);
            } else {
                mayMiss = true; // listed as a child a moment ago, reaped now
            }
        }
    }

    private void addChildren(Entry e) throws IOException {
        if (e.stat.isZombie()) {
            mayMiss = true; // a zombie's children were re-parented when it exited, maybe during this walk
            return;
        }
        for (long child : children(e.stat.pid(), e.threads)) {
            todo.add(child); // not addAll: ArrayDeque's takes a method reference (see package-info)
        }
    }

    /** A process read: its stat and its number of threads. */
    private record Entry(Stat stat, int threads) {
    }

    /** @return the process's stat and thread count, or null if it is gone */
    private static Entry read(long pid) throws IOException {
        String line = ProcTable.readStatLine(pid);
        if (line == null) {
            return null;
        }
        Stat stat = ProcTable.parse(pid, line);
        return new Entry(stat, ProcTable.threadCount(line));
    }

    /**
     * @param threads the thread count read from its stat, or -1 if not known: a process with one
     *                thread has one children file, its main thread's; any other lists its tasks
     * @return the pids of the children of every thread of {@code pid} (empty if it is gone)
     */
    private List<Long> children(long pid, int threads) throws IOException {
        List<Long> result = new ArrayList<>();
        if (threads == 1) {
            mayMiss |= !readChildren("/proc/" + pid + "/task/" + pid + "/children", result);
            return result;
        }
        Path task = PROC.resolve(Long.toString(pid)).resolve("task");
        // A thread that ends hands its children to another thread of the process before it leaves
        // the task list. So if one was listed but is gone when its file is read, its children may
        // have moved to a thread read before it: all threads are read again (a few times at most;
        // for a process that keeps ending threads faster than that, the last pass is taken, and
        // the caller's next round, which lists again, sees what moved).
        boolean again = true;
        for (int pass = 0; again && pass < MAX_PASSES; pass++) {
            again = false;
            result.clear();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(task)) {
                for (Path tid : tasks) {
                    again |= !readChildren(tid.resolve("children").toString(), result);
                }
            } catch (NoSuchFileException gone) {
                // It exited: its children have been re-parented, to where the ancestors' read finds them.
                mayMiss = true;
                return List.of();
            } catch (IOException e) {
                if (!ProcTable.isGone(e)) {
                    throw e;
                }
                mayMiss = true;
                return List.of();
            }
        }
        mayMiss |= again;
        return result;
    }

    /**
     * The kernel hands an orphan to the first thread of the reaper that is not exiting, which is
     * its main thread while that runs; other threads' children are their own forks, never orphans
     * of this tree. So the main thread's children file is read first: if it lists a child, the main
     * thread runs (one that ends hands its children to another thread before it is a zombie, and
     * is never given any after), and that file holds every orphan the reaper adopted. Only when it
     * lists none is the reaper's stat read: if the main thread has ended (the stat reads Z while
     * other threads run), all its threads' children are read. The JVM's ancestors each have a
     * child, the next one down to the JVM, so their stats are not read.
     *
     * <p>The kernel writes a children file one child at a time, going on from the child it wrote
     * last, or, when that one is no longer there, and at each further read(2) of a long file (a
     * reaper with hundreds of children), by position: a child reaped meanwhile shifts the rest,
     * and one can be skipped. So every child listed is confirmed present afterwards (its getpgid);
     * one reaped in between marks the listing ({@link #mayMiss}). A reaper that dies hands its
     * children further up, to a reaper read later.
     *
     * @return the children of {@code reaper} that can be orphans it adopted
     */
    private List<Long> reapersChildren(long reaper) throws IOException {
        List<Long> result = new ArrayList<>();
        String file = "/proc/" + reaper + "/task/" + reaper + "/children";
        if (readChildren(file, result) && !result.isEmpty()) {
            return result;
        }
        String line = ProcTable.readStatLine(reaper);
        if (line == null) {
            mayMiss = true;
            return List.of(); // it died: its orphans went further up, to a reaper also on the list
        }
        if (ProcTable.parse(reaper, line).isZombie()) {
            mayMiss = true;
            return children(reaper, -1);
        }
        return result;
    }

    /** @return false if the file is gone (the thread, or the process, ended), else true */
    private static boolean readChildren(String file, List<Long> into) throws IOException {
        String text = ProcFile.readString(file);
        if (text == null) {
            return false; // the thread (or the process) ended: its children moved on
        }
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            long pid = 0;
            boolean any = false;
            while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                pid = pid * 10 + (text.charAt(i++) - '0');
                any = true;
            }
            if (any) {
                into.add(pid);
            }
            while (i < n && (text.charAt(i) < '0' || text.charAt(i) > '9') && text.charAt(i) != ' ') {
                i++; // a newline, nothing else is expected
            }
        }
        return true;
    }

    /** @return the JVM's ancestors, parent first, ending with the pid namespace's init (whose parent reads 0) */
    private static long[] ancestors() throws IOException {
        long[] known = ancestors;
        if (known != null) {
            return known;
        }
        List<Long> chain = new ArrayList<>();
        long pid = SelfPid.PID;
        while (true) {
            String line = ProcTable.readStatLine(pid);
            long ppid = line == null ? 0 : ProcTable.parse(pid, line).ppid();
            if (ppid <= 0 || chain.contains(ppid)) {
                break;
            }
            chain.add(ppid);
            pid = ppid;
        }
        if (!chain.contains(1L) && ProcTable.readStatLine(1) != null) {
            chain.add(1L); // a parent gone mid-way cut the chain: init is where its orphans went
        }
        known = new long[chain.size()];
        for (int i = 0; i < known.length; i++) {
            known[i] = chain.get(i);
        }
        ancestors = known;
        return known;
    }
}
