package io.github.procgroup.internal.linux;

import io.github.procgroup.internal.linux.ProcTable.ProcessKey;
import io.github.procgroup.internal.linux.ProcTable.Stat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The processes seen in one tree, by pid and start time: an escapee stays part of its tree after
 * its parent died, as long as it exists.
 *
 * <p>Several threads update it from listings taken at different moments (the orphan tracker,
 * close(), terminate()). So a key is only ever forgotten on proof that its process is gone: it
 * started before the listing began ({@link BootClock}, rounded so that this errs towards
 * "not proven") and the listing does not show it. Each removal stands on its own, whatever other
 * threads add or remove meanwhile, and no lock is needed.
 */
final class TreeMemory implements Predicate<ProcessKey> {
    private final Set<ProcessKey> keys = ConcurrentHashMap.newKeySet();

    /**
     * @return whether {@code key} is remembered: the memory is the listings' "seen in the tree
     *         before", passed as itself rather than as a method reference (see package-info)
     */
    @Override
    public boolean test(ProcessKey key) {
        return keys.contains(key);
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    /** @return every key remembered now, a copy */
    List<ProcessKey> all() {
        return new ArrayList<>(keys);
    }

    void add(ProcessKey key) {
        keys.add(key);
    }

    /** Remembers {@code tree} (found in {@code snapshot}) and forgets what {@code snapshot} proves gone. */
    void update(ProcTable.Snapshot snapshot, List<Stat> tree) {
        for (Stat s : tree) {
            keys.add(s.key());
        }
        // Only what the listing looked for can be proven gone by it: a key added meanwhile by
        // another thread, absent from a tree's own listing, may still run.
        Set<ProcessKey> candidates = new HashSet<>();
        for (ProcessKey k : keys) {
            if (snapshot.provesAbsence(k.pid())) {
                candidates.add(k);
            }
        }
        Set<ProcessKey> gone = new HashSet<>(candidates);
        forgetGone(candidates, snapshot.processes(), BootClock.tickAt(snapshot.takenAt()));
        gone.removeAll(candidates); // what forgetGone took out of the candidates
        keys.removeAll(gone);
    }

    /** Removes from {@code keys} those that started before {@code listingTick} and are absent from {@code listing}. */
    static void forgetGone(Set<ProcessKey> keys, List<Stat> listing, long listingTick) {
        Set<ProcessKey> present = new HashSet<>();
        for (Stat s : listing) {
            present.add(s.key());
        }
        for (Iterator<ProcessKey> i = keys.iterator(); i.hasNext(); ) { // no lambda: see package-info
            ProcessKey k = i.next();
            if (k.startTime() < listingTick && !present.contains(k)) {
                i.remove();
            }
        }
    }
}
