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
 * list again until nothing runs.
 *
 * <p>Where the kernel has no children files (built without {@code CONFIG_PROC_CHILDREN}),
 * {@link #available()} is false and callers list the whole of /proc ({@link ProcTable#snapshot}).
 */
final class TreeWalk {
    private static final Path PROC = Path.of("/proc");
    /**
     * Whether this kernel has the children files: probed on the calling thread's own (every thread
     * has one, or none does; /proc/thread-self is Linux 3.17+, and without it the host-wide listing is
     * used, which is always right). Pid-free, so the first spawn, which loads this class, does not start
     * the JDK's process-handle machinery for the JVM's pid ({@link SelfPid} is read at a listing).
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

    private TreeWalk() {
    }

    /**
     * Loads this class and those a listing and a wait use, while an fd is to be had: a class
     * loaded from a class-path directory needs an fd, and a tree must be listable at the fd limit
     * (in the shutdown hook too).
     */
    static void load() {
        new Root(0, ANY_START).pid();
        SelfPid.class.getName(); // loaded, not initialised: its ProcessHandle.current() waits for the first listing
        new Entry(null, 0).threads();
        ProcFile.load();
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
     * @return the listing: the roots found, what descends from them, and the children of the
     *         JVM's ancestors in {@code groupId}, with what descends from those
     * @throws IllegalStateException naming the cause if /proc cannot be read (at the fd limit even
     *                               with {@link FdReserve}'s spares released)
     */
    static Snapshot list(List<Root> roots, long groupId) {
        long takenAt = System.nanoTime();
        Set<Long> lookedFor = new HashSet<>();
        roots.forEach(r -> lookedFor.add(r.pid()));
        try {
            return new Snapshot(takenAt, walk(roots, groupId), lookedFor);
        } catch (IOException | UncheckedIOException e) {
            if (!FdReserve.isFdLimit(e)) {
                throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
            }
            return FdReserve.withSpareFds(() -> {
                try {
                    return new Snapshot(takenAt, walk(roots, groupId), lookedFor);
                } catch (IOException | UncheckedIOException again) {
                    throw new IllegalStateException("cannot list /proc, even with procgroup's spare fds released: "
                            + again.getMessage(), again);
                }
            });
        }
    }

    private static List<Stat> walk(List<Root> roots, long groupId) throws IOException {
        Map<Long, Stat> found = new LinkedHashMap<>();
        Deque<Long> todo = new ArrayDeque<>();
        for (Root root : roots) {
            Entry e = read(root.pid());
            if (e != null && (root.startTime() == ANY_START || e.stat.startTime() == root.startTime())) {
                found.put(root.pid(), e.stat);
                addChildren(e, todo);
            }
        }
        descend(todo, found);
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
                    if (found.containsKey(child) || skipped.contains(child)) {
                        continue;
                    }
                    // Its group first (see the class comment): ESRCH (gone) or another group, and it is not the tree's.
                    Entry e = Posix.getpgid((int) child) == groupId ? read(child) : null;
                    if (e != null && e.stat.pgid() == groupId) { // the stat's word, should it have moved meanwhile
                        found.put(child, e.stat);
                        addChildren(e, todo);
                        grew = true;
                    } else {
                        skipped.add(child);
                    }
                }
            }
            descend(todo, found);
        }
        return new ArrayList<>(found.values());
    }

    /** Reads every pid in {@code todo} and what descends from it, into {@code found}. */
    private static void descend(Deque<Long> todo, Map<Long, Stat> found) throws IOException {
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            if (found.containsKey(pid)) {
                continue;
            }
            Entry e = read(pid);
            if (e != null) {
                found.put(pid, e.stat);
                addChildren(e, todo);
            }
        }
    }

    private static void addChildren(Entry e, Deque<Long> todo) throws IOException {
        if (!e.stat.isZombie()) { // a zombie's children were re-parented when it exited
            for (long child : children(e.stat.pid(), e.threads)) {
                todo.add(child);
            }
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
    private static List<Long> children(long pid, int threads) throws IOException {
        List<Long> result = new ArrayList<>();
        Path task = PROC.resolve(Long.toString(pid)).resolve("task");
        if (threads == 1) {
            readChildren("/proc/" + pid + "/task/" + pid + "/children", result);
            return result;
        }
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
                return List.of();
            } catch (IOException e) {
                if (!ProcTable.isGone(e)) {
                    throw e;
                }
                return List.of();
            }
        }
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
     * @return the children of {@code reaper} that can be orphans it adopted
     */
    private static List<Long> reapersChildren(long reaper) throws IOException {
        List<Long> result = new ArrayList<>();
        if (readChildren("/proc/" + reaper + "/task/" + reaper + "/children", result) && !result.isEmpty()) {
            return result;
        }
        String line = ProcTable.readStatLine(reaper);
        if (line == null) {
            return List.of(); // it died: its orphans went further up, to a reaper also on the list
        }
        if (ProcTable.parse(reaper, line).isZombie()) {
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
        known = chain.stream().mapToLong(Long::longValue).toArray();
        ancestors = known;
        return known;
    }
}
