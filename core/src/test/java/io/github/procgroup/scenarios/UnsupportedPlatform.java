package io.github.procgroup.scenarios;

import io.github.procgroup.GroupProcessBuilder;
import io.github.procgroup.ParentDeath;
import io.github.procgroup.Signal;
import io.github.procgroup.Subreaper;

/**
 * Run in a JVM whose {@code os.name} or {@code os.arch} names a platform procgroup has no
 * bindings for: prints what each entry point does, one {@code key=value} line each, so the test
 * sees every outcome even where one would be an {@code Error}.
 */
public final class UnsupportedPlatform {
    private UnsupportedPlatform() {
    }

    public static void main(String[] args) {
        report("signal", () -> Signal.valueOf("TERM") + "/" + Signal.TERM.number());
        report("start1", () -> new GroupProcessBuilder("true").start());
        report("start2", () -> new GroupProcessBuilder("true").start());
        report("signalMe", () -> {
            ParentDeath.signalMe(Signal.TERM);
            return "set";
        });
        report("subreaperEnabled", Subreaper::isEnabled);
        System.out.println("done=1");
    }

    private interface Call {
        Object call() throws Throwable;
    }

    private static void report(String key, Call call) {
        String outcome;
        try {
            outcome = "returned " + call.call();
        } catch (Throwable t) {
            outcome = t.getClass().getName() + ": " + t.getMessage();
        }
        System.out.println(key + "=" + outcome.replace('\n', ' '));
    }
}
