package io.github.procgroup;

/**
 * One process as {@code /proc} showed it when it was listed: where it hangs in the process tree
 * and what it runs. A snapshot: the process may have exited since.
 *
 * @param pid            its id
 * @param parentPid      its parent's id (1, or a subreaper, once its parent died)
 * @param processGroupId its process group
 * @param sessionId      its session
 * @param state          the kernel's state letter: R running, S sleeping, D disk wait, T stopped...
 * @param command        its command line, arguments separated by spaces, or the kernel's short
 *                       name in brackets ({@code [sleep]}) if it has none
 */
public record ProcessInfo(long pid, long parentPid, long processGroupId, long sessionId, char state, String command) {
}
