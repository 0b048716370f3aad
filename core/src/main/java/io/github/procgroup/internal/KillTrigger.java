package io.github.procgroup.internal;

/** When procgroup kills a tree that is still running, besides the user's own calls. */
public enum KillTrigger {
    /** procgroup's shutdown hook SIGKILLs the tree when the JVM exits normally. */
    JVM_EXIT,
    /** The tree dies when the JVM dies in any way, SIGKILL and crashes included. */
    PARENT_DEATH
}
