package io.github.procgroup;

import io.github.procgroup.internal.ChildProcess;

/** For tests of a backend outside this package: the public face over a child they made themselves. */
public final class TestAccess {
    private TestAccess() {
    }

    /** @return the {@link GroupProcess} a user would get for {@code child} */
    public static GroupProcess groupProcess(ChildProcess child) {
        return new GroupProcess(child);
    }
}
