package io.github.procgroup.internal.linux;

import io.github.procgroup.GroupProcess;
import io.github.procgroup.internal.ChildProcess;

import java.lang.reflect.Field;

/** The backend objects behind a {@link GroupProcess}, for the tests of this package that look beneath the API. */
final class Internals {
    private Internals() {
    }

    /** @return the backend's child behind {@code p} */
    static ChildProcess childOf(GroupProcess p) throws ReflectiveOperationException {
        Field f = GroupProcess.class.getDeclaredField("child");
        f.setAccessible(true);
        return (ChildProcess) f.get(p);
    }

    /** @return how the Linux child behind {@code p} finds its tree */
    static GroupMembership membershipOf(GroupProcess p) throws ReflectiveOperationException {
        Field f = LinuxProcess.class.getDeclaredField("membership");
        f.setAccessible(true);
        return (GroupMembership) f.get(childOf(p));
    }
}
