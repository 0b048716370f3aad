package io.github.procgroup.cli;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.Signal;
import io.github.procgroup.internal.linux.Posix;
import io.github.procgroup.internal.linux.ProcTable;

import java.time.Duration;
import java.util.List;

/**
 * Ends what is left of the command's tree: SIGTERM and SIGCONT (so that stopped members see the
 * SIGTERM) to the group and, under {@code --subreaper}, to every adopted descendant outside it;
 * up to the grace for all of them to exit; then SIGKILL to whatever still runs.
 */
final class TreeEnder {
    private static final long POLL_MILLIS = 25; // each poll reads /proc (a few ms): not more often

    private TreeEnder() {
    }

    /**
     * @param process   the command
     * @param adoptions whether descendants outside the group are ours to end too (--subreaper)
     * @param grace     how long between SIGTERM and SIGKILL
     * @param found     the processes to end, listed by the caller just before (see {@link Processes#toEnd})
     */
    static void end(GroupProcess process, boolean adoptions, Duration grace, List<ProcTable.Stat> found)
            throws InterruptedException {
        long pgid = process.processGroupId();
        if (found.isEmpty() && !process.isAlive()) {
            return;
        }
        send(process, found, Signal.TERM);
        send(process, found, Signal.CONT);
        long deadline = System.nanoTime() + grace.toNanos();
        List<ProcTable.Stat> left = found;
        while (System.nanoTime() - deadline < 0 && (process.isAlive() || !left.isEmpty())) {
            Thread.sleep(POLL_MILLIS);
            left = Processes.toEnd(pgid, adoptions);
        }
        left = Processes.toEnd(pgid, adoptions);
        if (process.isAlive() || !left.isEmpty()) {
            send(process, left, Signal.KILL);
        }
    }

    private static void send(GroupProcess process, List<ProcTable.Stat> targets, Signal signal) {
        long pgid = process.processGroupId();
        // One killpg reaches every member, also one that joined the group after the listing. Only
        // while the group is known to exist: once empty, its id could name someone else's group.
        if (process.isAlive() || targets.stream().anyMatch(p -> p.pgid() == pgid)) {
            process.signal(signal);
        }
        for (ProcTable.Stat p : targets) {
            if (p.pgid() != pgid) {
                // A descendant that left the group (setsid, setpgid). Its pid cannot have been reused:
                // the orphan reaper is stopped, so a dead descendant stays an unreaped zombie (unless
                // its own, still living, parent reaps it in this instant). ESRCH: it is gone, fine.
                Posix.kill((int) p.pid(), signal.number());
            }
        }
    }
}
