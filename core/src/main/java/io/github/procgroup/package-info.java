/**
 * Start processes that each lead a process group of their own, and control the whole tree they
 * start (signal, time out, kill, reap) with nothing left behind.
 *
 * <h2>The API</h2>
 *
 * <ul>
 *   <li>{@link io.github.procgroup.GroupProcessBuilder} mirrors {@link java.lang.ProcessBuilder}
 *       (command, directory, environment, redirects) and adds what a tree needs:
 *       {@code newSession}, {@code killOnJvmExit}, {@code killOnParentDeath}, the grace between
 *       SIGTERM and SIGKILL, the {@link io.github.procgroup.Containment} level (a cgroup v2 on
 *       Linux) and {@link io.github.procgroup.Limits}, whose Javadoc says which platform honours
 *       each knob.</li>
 *   <li>{@link io.github.procgroup.GroupProcess}, what {@code start()} returns, <em>is</em> a
 *       {@link java.lang.Process}, so code written against {@code Process} keeps working. It adds
 *       {@code signal(Signal)} to the whole group, {@code terminate(grace)}, {@code members()},
 *       {@code tree()}, the decoded {@link io.github.procgroup.ExitStatus} and the
 *       {@link io.github.procgroup.ResourceUsage}. It is {@link java.lang.AutoCloseable}:
 *       {@code close()} ends the tree.</li>
 *   <li>The run API: {@link io.github.procgroup.GroupProcessBuilder#run(java.time.Duration)} and
 *       {@code runAsync} start a command, feed its input, capture its output on threads of their
 *       own, end the whole tree at the time limit (and whatever the command leaves running when it
 *       exits), and return a {@link io.github.procgroup.ProcessResult};
 *       {@link io.github.procgroup.ProcessResult#checkSuccess()} throws a
 *       {@link io.github.procgroup.ProcessFailedException} unless it exited 0 in time.
 *       {@code startPipeline} and {@code runPipeline} run stages in one group.</li>
 *   <li>{@link io.github.procgroup.Signal} names the signals; {@link io.github.procgroup.ProcessInfo}
 *       is one process of a tree as /proc shows it.</li>
 *   <li>{@link io.github.procgroup.Subreaper} makes the JVM a child subreaper (Linux), so processes
 *       that leave the group and lose their parent (daemons) are re-parented to the JVM and ended
 *       with their tree.</li>
 *   <li>{@link io.github.procgroup.ParentDeath} is for a Java program that is itself someone's
 *       child: a signal when its parent dies (Linux).</li>
 *   <li>Errors of the system calls are {@link io.github.procgroup.SystemErrorException}s
 *       ({@link io.github.procgroup.ErrnoException} on Linux, naming the errno, e.g.
 *       {@code ENOENT}); bad builder values fail as with {@code ProcessBuilder}.</li>
 * </ul>
 *
 * <pre>{@code
 * ProcessResult r = new GroupProcessBuilder("make", "test")
 *         .run(Duration.ofMinutes(10))      // at the limit: SIGTERM to the tree, SIGKILL after the grace
 *         .checkSuccess();
 *
 * try (GroupProcess p = new GroupProcessBuilder("sh", "-c", "server & worker & wait").start()) {
 *     ExitStatus status = p.terminate(Duration.ofSeconds(5));
 * }                                         // close(): SIGKILL to what is left, reap, wait
 * }</pre>
 *
 * <h2>Containment</h2>
 *
 * <p>On Linux each child is the leader of a new process group (or, with {@code newSession(true)},
 * session); group signals reach every member, and the tree also takes in processes descending
 * from a member by parent links and, with a {@code Subreaper}, escapees traced to it. On Windows
 * each child gets a Job Object of its own, which ends the whole tree however deep it is.
 *
 * <h2>What a user must know</h2>
 *
 * <ul>
 *   <li><b>Native access.</b> procgroup calls the C library through the FFM API. Run with
 *       {@code --enable-native-access=ALL-UNNAMED} on the class path,
 *       {@code --enable-native-access=io.github.procgroup} on the
 *       module path, or {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest
 *       (and in the Surefire {@code argLine} of your own tests). JDK 22 to 25 only warn without
 *       it; under {@code --illegal-native-access=deny} the native calls fail.</li>
 *   <li><b>{@code close()} and {@code destroyForcibly()} wait for the tree.</b> Both return only
 *       once the leader is reaped and no process of the tree runs (the JDK's
 *       {@code destroyForcibly()} returns at once), and throw {@link IllegalStateException} if
 *       something still runs 10 s after SIGKILL (a process stuck in the kernel).
 *       {@code destroy()} sends SIGTERM to the whole group and returns at once.</li>
 *   <li><b>The tree ends with the JVM.</b> {@code killOnJvmExit} is on by default: when the JVM
 *       exits normally a shutdown hook sends SIGTERM to every tree, then SIGKILL after its
 *       {@code exitHookGrace} (3 s unless set). Turn it off for a child
 *       meant to outlive the JVM; {@code killOnParentDeath(true)} also covers SIGKILL and crashes
 *       of the JVM.</li>
 *   <li><b>Stream lifetime.</b> As with the JDK, the streams end when the leader is reaped: what
 *       the pipes still buffer stays readable and their fds are closed, so output a background
 *       process writes later is lost; {@code streamsOutliveLeader(true)} keeps the pipes open for
 *       the whole tree (then close the process). {@code destroy()} does not close them. Reading
 *       stdout to its end before {@code waitFor(timeout)} blocks while the leader runs: read on
 *       another thread, or use {@code run}.</li>
 *   <li><b>The terminal.</b> The child's group is not the terminal's foreground group: Ctrl-C in
 *       the JVM's terminal reaches the JVM, not the child, and a child that reads the terminal
 *       (an inherited stdin) is stopped with SIGTTIN by POSIX job control ({@code stoppedBy()}
 *       says so, and {@code waitFor} logs a warning). Give such a child a pipe or a file as stdin,
 *       or start it with {@code foreground(true)}, which hands it the terminal while it runs.</li>
 * </ul>
 *
 * <p>The guarantees, per mode, and the tests that show them are in the project's
 * {@code docs/guarantees.md}; the differences from {@code java.lang.Process} in
 * {@code docs/differences.md}.
 */
package io.github.procgroup;
