package io.github.procgroup.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the old-JVM entry point reads {@code java.specification.version}. */
class EntryTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1.8, 8", "9, 9", "17, 17", "22, 22", "25, 25", "'', 0", "x, 0"})
    void featureVersion(String specification, int expected) {
        assertEquals(expected, Entry.featureVersion(specification));
    }
}
