package io.github.procgroup.internal.linux;

import io.github.procgroup.internal.linux.ProcTable.ProcessKey;
import io.github.procgroup.internal.linux.ProcTable.Stat;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pure logic below the tree operations, on /proc snapshots recorded as text: parsing a stat
 * line, finding a tree, the group-id reuse check, and what the memory of escapees forgets.
 */
class ProcSnapshotTest {
    /** Recorded /proc/PID/stat lines; only pid, comm, state, ppid, pgid, sid and starttime differ between them. */
    private static String line(long pid, String comm, char state, long ppid, long pgid, long sid, long start) {
        return pid + " (" + comm + ") " + state + " " + ppid + " " + pgid + " " + sid
                + " 0 -1 4194304 141 0 0 0 0 0 0 0 20 0 1 0 " + start
                + " 2990080 425 18446744073709551615 94287723196416 94287723214345 140726581896160 0 0 0 0 6 0 1 0 0 17 0 0"
                + " 0 0 0 0 94287723228432 94287723229696 94288097390592 140726581897746 140726581897756 140726581897756"
                + " 140726581899241 0";
    }

    private static Stat stat(long pid, String comm, char state, long ppid, long pgid, long sid, long start) {
        return ProcTable.parse(pid, line(pid, comm, state, ppid, pgid, sid, start));
    }

    @Test
    void parseReadsTheFieldsAfterTheLastParenthesis() {
        String recorded = "1909 (sleep) S 1887 1887 2519 0 -1 4194304 141 0 0 0 0 0 0 0 20 0 1 0 187244 2990080 425 "
                + "18446744073709551615 94287723196416 94287723214345 140726581896160 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0 "
                + "94287723228432 94287723229696 94288097390592 140726581897746 140726581897756 140726581897756 "
                + "140726581899241 0";
        assertEquals(new Stat(1909, "sleep", 'S', 1887, 1887, 2519, 187244), ProcTable.parse(1909, recorded));
        assertEquals(1, ProcTable.threadCount(recorded), "num_threads, field 20");
        assertEquals(7, ProcTable.threadCount(recorded.replace(" 20 0 1 0 187244 ", " 20 0 7 0 187244 ")));
        Stat odd = ProcTable.parse(42, line(42, "a) (b) Z", 'Z', 1, 42, 42, 7));
        assertEquals("a) (b) Z", odd.comm());
        assertEquals('Z', odd.state());
        assertTrue(odd.isZombie());
        assertEquals(7, odd.startTime());
    }

    /** Group 100 (leader 100, member 101), an escapee 102 in its own session, its child 103, a stranger 200. */
    private static final List<Stat> TREE = List.of(
            stat(1, "init", 'S', 0, 1, 1, 1),
            stat(100, "sh", 'S', 50, 100, 50, 1000),
            stat(101, "sleep", 'S', 100, 100, 50, 1001),
            stat(102, "daemon", 'S', 100, 102, 102, 1002),
            stat(103, "worker", 'S', 102, 102, 102, 1003),
            stat(200, "stranger", 'S', 1, 200, 200, 900));

    @Test
    void findTakesTheGroupAndEverythingDescendingFromIt() {
        List<Stat> tree = ProcessTree.find(TREE, s -> s.pgid() == 100, -1, k -> false, parent -> true);
        assertEquals(Set.of(100L, 101L, 102L, 103L), pids(tree));
    }

    @Test
    void findFollowsOnlyParentLinksThatAreConfirmed() {
        // 102 was read as 100's child, but 100 died and its pid was reused during the listing: unconfirmed.
        List<Stat> tree = ProcessTree.find(TREE, s -> s.pgid() == 100, -1, k -> false, parent -> parent.pid() != 100);
        assertEquals(Set.of(100L, 101L), pids(tree));
    }

    @Test
    void findKeepsRememberedEscapeesAndLeavesOutTheSentinel() {
        List<Stat> orphaned = List.of(
                stat(1, "init", 'S', 0, 1, 1, 1),
                stat(101, "sleep", 'S', 1, 100, 50, 1001),
                stat(102, "daemon", 'S', 1, 102, 102, 1002),
                stat(103, "worker", 'S', 102, 102, 102, 1003),
                stat(104, "sentinel", 'S', 1, 100, 50, 1004));
        Set<ProcessKey> remembered = Set.of(new ProcessKey(102, 1002));
        List<Stat> tree = ProcessTree.find(orphaned, s -> s.pgid() == 100, 104, remembered::contains, parent -> true);
        assertEquals(Set.of(101L, 102L, 103L), pids(tree));
        // A reused pid is another process: its start time differs, so it is not remembered.
        Set<ProcessKey> stale = Set.of(new ProcessKey(102, 999));
        assertEquals(Set.of(101L), pids(ProcessTree.find(orphaned, s -> s.pgid() == 100, 104, stale::contains, p -> true)));
    }

    @Test
    void aReusedGroupHasNoWitness() {
        // The leader 100 was reaped at tick 2000; a newcomer got pid 100 and leads group 100, with a child.
        List<Stat> reused = List.of(
                stat(100, "setsid-sh", 'S', 1, 100, 100, 2500),
                stat(105, "its-child", 'S', 100, 100, 100, 2501));
        assertEquals(Optional.empty(), TreeGroup.witness(reused, 100, 2000, k -> false));
        // Even when the newcomer's leader is gone too, its remaining members started after the release.
        assertEquals(Optional.empty(), TreeGroup.witness(reused.subList(1, 2), 100, 2000, k -> false));
    }

    @Test
    void aMemberThatOutlivedTheLeaderIsAWitness() {
        List<Stat> outlived = List.of(stat(101, "sleep", 'S', 1, 100, 50, 1001), stat(106, "late", 'S', 101, 100, 50, 2600));
        assertEquals(Optional.of(outlived.get(0)), TreeGroup.witness(outlived, 100, 2000, k -> false));
        // Started in the release's own tick (a shell forked it and exited at once): a witness, within the slack...
        List<Stat> sameTick = List.of(stat(107, "edge", 'S', 1, 100, 50, 2000 + TreeGroup.SLACK_TICKS));
        assertEquals(Optional.of(sameTick.get(0)), TreeGroup.witness(sameTick, 100, 2000, k -> false));
        // ...but not later than that...
        List<Stat> later = List.of(stat(107, "late", 'S', 1, 100, 50, 2001 + TreeGroup.SLACK_TICKS));
        assertEquals(Optional.empty(), TreeGroup.witness(later, 100, 2000, k -> false));
        // ...unless it was seen in the tree before.
        Set<ProcessKey> seen = Set.of(new ProcessKey(107, 2001 + TreeGroup.SLACK_TICKS));
        assertEquals(Optional.of(later.get(0)), TreeGroup.witness(later, 100, 2000, seen::contains));
    }

    @Test
    void memoryForgetsOnlyWhatAListingProvesGone() {
        Set<ProcessKey> keys = new HashSet<>(Set.of(
                new ProcessKey(102, 1002),   // absent, started before the listing: gone
                new ProcessKey(103, 1003),   // present: kept
                new ProcessKey(108, 3000))); // absent, but started after the listing began: kept
        TreeMemory.forgetGone(keys, List.of(stat(103, "worker", 'S', 1, 102, 102, 1003)), 2999);
        assertEquals(Set.of(new ProcessKey(103, 1003), new ProcessKey(108, 3000)), keys);
    }

    @Test
    void uptimeIsReadInCentiseconds() {
        assertEquals(18724412, BootClock.parseCentiseconds("187244.12"));
        assertEquals(18724410, BootClock.parseCentiseconds("187244.1"));
        assertEquals(18724400, BootClock.parseCentiseconds("187244"));
    }

    private static Set<Long> pids(List<Stat> tree) {
        return tree.stream().map(Stat::pid).collect(Collectors.toSet());
    }
}
