/**
 * The Linux backend: posix_spawn into new process groups, the exit watcher, the orphan tracker,
 * and the rules that keep every signal on procgroup's own processes.
 *
 * <h2>Threads and locks</h2>
 * <h3>Threads</h3>
 * <table><caption>thread</caption>
 * <tr><th>thread</th><th>started</th><th>what it touches</th></tr>
 * <tr><td>{@code procgroup-exit-watcher} (one per JVM, daemon)</td><td>at the first spawn</td><td>blocks in {@code epoll_wait} on every child's pidfd; on an event, reaps that pid alone ({@code OwnedPid.reap}, {@code wait4(pid, WNOHANG)}), completes the exit future, then (sentinel-guarded trees only) lists /proc to decide whether the sentinel can go; parks in Java when it has had nothing to watch for 100 ms, and only polls from JVM exit on</td></tr>
 * <tr><td>{@code procgroup-exit-watcher-exit} (shutdown hook)</td><td>registered at the first spawn</td><td>at JVM exit: tells the exit watcher to stop waiting in native code, and wakes it</td></tr>
 * <tr><td>{@code procgroup-wait-PID} (one per child without a pidfd, daemon)</td><td>when {@code pidfd_open} failed (ENOSYS, EMFILE) or the watcher gave up</td><td>blocks in {@code waitid(P_PID, pid, WEXITED | WNOWAIT)}, then reaps through the same {@code OwnedPid.reap}</td></tr>
 * <tr><td>{@code procgroup-subreaper} (daemon)</td><td>{@code Subreaper.enable()}</td><td>every 100 ms: one /proc listing, {@code rememberTree} for every live tree, {@code wait4(pid, WNOHANG)} on the zombies it may reap, {@code LiveTrees.prune}</td></tr>
 * <tr><td>{@code procgroup-shutdown} (shutdown hook)</td><td>registered at the first spawn</td><td>at JVM exit, on every tree whose builder kept {@code killOnJvmExit}: {@code requestStop()}, its {@code exitHookGrace}, {@code kill()} (ExitHook); then, in the same hook, the leaves of such CGROUP trees are awaited empty and removed (CgroupExitCleanup)</td></tr>
 * <tr><td>user threads</td><td></td><td>{@code signal}, {@code terminate}, {@code close}, {@code destroyForcibly}, {@code members}, {@code tree}: each lists the tree itself ({@code TreeWalk}: from its own processes, not all of /proc) and waits on the listed processes' pidfds ({@code PidfdWait})</td></tr>
 * </table>
 * <p>No background thread dies silently. The exit watcher catches an error while handling one child and fails that child's wait with it ({@code Watched.failed}; no effect once the exit was reported) and goes on; on an {@code epoll_wait} error other than EINTR it hands every pending child to a waiting thread of its own, says so on stderr, and ends. A waiting thread that gets a {@code waitid} error other than EINTR and ECHILD fails that child's wait with the errno. The orphan tracker reports a failed scan on stderr (once per distinct cause) and retries with a pause doubling up to 5 s.
 * <h3>Locks and what they guard</h3>
 * <table><caption>lock</caption>
 * <tr><th>lock</th><th>guards</th></tr>
 * <tr><td>each {@code OwnedPid} (leader, sentinel)</td><td>{@code pidfd}, {@code reaped}: the reap, every signal by that pid, and every {@code killpg} sent on the strength of that pin</td></tr>
 * <tr><td>{@code ParentDeathSentinel}: its {@code OwnedPid}</td><td>also the lifeline pipe's write end, closed only once the sentinel is reaped</td></tr>
 * <tr><td>{@code FdReserve.class}</td><td>the spare fds, released and reopened around a retry at the fd limit</td></tr>
 * <tr><td>{@code AdoptedOrphans.class}</td><td>the tracker thread's start</td></tr>
 * <tr><td>{@code ExitWatcher.class}</td><td>the watcher's creation</td></tr>
 * <tr><td>none (concurrent collections)</td><td>{@code LiveTrees}' set, {@code ExitWatcher.byPidfd}, {@code TreeMemory}'s keys, {@code AdoptedOrphans}' token cache</td></tr>
 * </table>
 * <p>{@code TreeMemory} needs no lock: keys are added freely, and one is removed only on proof, from a single listing, that its process is gone (it started before that listing began, the listing looked for it, and the listing does not show it). Each removal is right on its own, whichever thread's listing is older.
 * <h3>The pid-safety rule</h3>
 * <p>Linux does not reuse a number while any process, a zombie too, has it as its pid, group or session. procgroup reaps its leaders and sentinels itself, each by its own pid, so:
 * <ol>
 * <li><b>By pid, while unreaped.</b> A signal to the leader (or sentinel) is sent under its {@code OwnedPid} lock, which the reap also takes, through its pidfd where there is one: it can only reach that process.
 * <li><b>killpg, only while pinned.</b> The group is <em>pinned</em> while the leader or the sentinel (a member) is unreaped. {@code killpg} is sent under the pinning process's lock, so the pin cannot go away between the check and the call. Once nothing pins the group, {@code killpg} is never sent again.
 * <li><b>Every other process: by pid and start time, through a pidfd.</b> A process listed in the tree is signalled with {@code pidfd_open(pid)}, then a fresh read of its start time, which must be the one listed, then {@code pidfd_send_signal}. If the signal is delivered, the process was unreaped when it was sent, so it held the pid when its start time was read: it is the process listed. If it was reaped in between, the signal fails with ESRCH and reaches nobody.
 * <li><b>Listing decides membership, after the fact.</b> A listing is not atomic, so what it shows is checked once it has ended: the group is taken as the tree's if it was pinned at the end of the listing (so all through it), or if a <em>witness</em> is still there with the same start time and group: a member that started before the pins went away, or that was seen in the tree before. A reused group is created by a new process whose pid is the number, after the number was freed, so its members all started later (short of a process deliberately joining a foreign group of its own session with {@code setpgid}). A parent link counts only if the parent is read again after the listing and is still the same process; the unreaped leader needs no check. Without a witness, nothing in a group of that number is touched.
 * </ol>
 * <p>"Started before the pins went away" allows two ticks (20 ms) of slack after the release tick: a shell that forks a job and exits at once leaves a member started in the very tick its leader is reaped in, and that member must be ended. A stranger's group of the same number inside that window would need the pid counter to come round to the number again, a wrap of the whole pid space (pid_max, at least 32768 forks) within 30 ms, or a privileged write to {@code /proc/sys/kernel/ns_last_pid} timed to it.
 * <p>What is left: the privileged write just named; two processes with one pid and one start tick would need that pid reused within 10 ms; without pidfds (Linux before 5.3, glibc before 2.36) the start-time check and {@code kill(2)} are two calls, with microseconds between them.
 * <h3>Code that runs cold</h3>
 * <p>A program ends its first tree with the code still uncompiled, and may end only a few a minute. So the
 * way of a spawn ({@code ExitWatcher}'s and {@code LiveTrees}' first use among it) and of a tree's end
 * (listing, signalling, waiting: {@code TreeWalk}, {@code TreeView}, {@code ProcessTree}, {@code TreeGroup},
 * {@code TreeMemory}, {@code GroupMembership}, {@code PidfdWait})
 * takes loops, named classes and explicit {@code equals}/{@code hashCode} rather than lambdas, method
 * references, streams and records' generated methods: each of those is bound by invokedynamic at its first
 * call, which spins a hidden class or a chain of method handles, about a millisecond each in a fresh JVM.
 * The module is compiled with {@code -XDstringConcat=inline} for the same reason. Lambdas stay where they
 * run rarely (the fd-limit retries, error messages) or off these paths.
 * <h3>At the fd limit</h3>
 * <p>Ending a tree must not need fds it cannot get. {@code killpg} needs none; a pinned group gets its signal even when the listing fails (the error is thrown after). A listing, a stat read or a {@code pidfd_open} that fails with EMFILE/ENFILE is retried once with {@code FdReserve}'s four spare fds ({@code /dev/null}, O_CLOEXEC, opened at the first spawn) released, and they are reopened after. A listing error is an error ({@code cannot list /proc: ...}), never "process gone". The shutdown hook reports a tree it could not end on stderr and goes on with the others.
 */
package io.github.procgroup.internal.linux;
