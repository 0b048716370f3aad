package io.github.procgroup;

import io.github.procgroup.internal.ChildProcess;

/** For backend tests outside this package: the public face of a child a test made itself. */
public final class GroupProcessAccess {
    private GroupProcessAccess() {
    }

    /** @return {@code child} as a {@link GroupProcess} */
    public static GroupProcess of(ChildProcess child) {
        return new GroupProcess(child);
    }
}
