package io.github.procgroup.cli;

import io.github.procgroup.bindings.linux.LibC;
import io.github.procgroup.internal.linux.Posix;
import io.github.procgroup.internal.linux.ProcTable;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Under {@code --subreaper}, reaps the orphans this JVM adopts, as tini does: every 200 ms it
 * reaps the zombie children of this JVM, each with {@code wait4} on its own pid. Never
 * {@code waitpid(-1)}: the command itself is procgroup's exit watcher's to reap, and must not
 * be taken from it (it would never learn the exit status).
 */
final class OrphanReaper {
    private static final Duration PERIOD = Duration.ofMillis(200);

    private final long leader;
    private final Thread thread;
    private volatile boolean running = true;

    private OrphanReaper(long leader) {
        this.leader = leader;
        this.thread = Thread.ofPlatform().daemon().name("procgroup-orphan-reaper").unstarted(this::loop);
    }

    /**
     * @param leader the command's pid, which this reaper leaves alone
     * @return a started reaper
     */
    static OrphanReaper start(long leader) {
        OrphanReaper reaper = new OrphanReaper(leader);
        reaper.thread.start();
        return reaper;
    }

    private void loop() {
        while (running) {
            reapZombies();
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException stop) {
                return;
            }
        }
    }

    /**
     * Stops reaping. While procgroup ends the tree nothing may be reaped: an unreaped zombie keeps
     * its pid, so the pids procgroup listed cannot be reused by unrelated processes before the
     * signals reach them.
     */
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }

    /**
     * Reaps until this JVM has no child left (the command must already be reaped). Each round
     * first SIGKILLs every live descendant: one forked after the tree was ended must not survive.
     * The listing and the kills happen before that round's reaping, so no listed pid can have
     * been reused when its SIGKILL is sent.
     *
     * @param limit how long to wait for killed descendants to die and be re-parented here
     * @return whether no child is left
     */
    boolean reapAll(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (Processes.hasChildren()) {
            for (ProcTable.Stat p : Processes.liveDescendants()) {
                Posix.kill((int) p.pid(), LibC.SIGKILL()); // ESRCH: it died meanwhile, fine
            }
            reapZombies();
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private void reapZombies() {
        for (ProcTable.Stat zombie : Processes.zombieChildren()) {
            if (zombie.pid() != leader) {
                // WNOHANG: it is a zombie, so this returns at once; ECHILD if someone reaped it first.
                Posix.wait4((int) zombie.pid(), MemorySegment.NULL, LibC.WNOHANG(), MemorySegment.NULL);
            }
        }
    }
}
