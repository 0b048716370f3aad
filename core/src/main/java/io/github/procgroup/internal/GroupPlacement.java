package io.github.procgroup.internal;

/**
 * Which process group a new child goes into. On Windows every child gets a Job Object and a
 * console process group of its own whatever the placement (see {@code WindowsBackend}).
 */
public sealed interface GroupPlacement {
    /** The child leads a new group in the JVM's session: its pgid is its pid. The default. */
    GroupPlacement NEW_GROUP = new NewGroup();
    /** The child leads a new session, and so a new group, with no controlling terminal. */
    GroupPlacement NEW_SESSION = new NewSession();

    /** See {@link #NEW_GROUP}. */
    record NewGroup() implements GroupPlacement {
    }

    /** See {@link #NEW_SESSION}. */
    record NewSession() implements GroupPlacement {
    }

    /**
     * The child joins an existing group of the JVM's session, which it then does not lead: a
     * pipeline's stages joining the first stage's group, procgroup's own helpers joining a tree.
     *
     * @param processGroupId the group to join; it must still have a member when the child starts
     */
    record JoinGroup(long processGroupId) implements GroupPlacement {
        /** Checks the id. */
        public JoinGroup {
            if (processGroupId <= 0) {
                throw new IllegalArgumentException("not a process group id: " + processGroupId);
            }
        }
    }
}
