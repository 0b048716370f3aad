package io.github.procgroup;

import io.github.procgroup.bindings.linux.LibC;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Signal}'s written-out numbers are the C library's (it needs no native access to be used). */
class SignalNumbersTest {
    @Test
    void everyNumberIsTheGeneratedBindingsOne() throws Exception {
        for (Signal s : Signal.values()) {
            int bound = (int) LibC.class.getMethod(s.signalName()).invoke(null);
            assertEquals(bound, s.number(), s.signalName());
        }
    }
}
