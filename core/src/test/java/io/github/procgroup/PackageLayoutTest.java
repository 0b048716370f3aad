package io.github.procgroup;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The dependency rules of docs/internals.md ("Module layout"), read from the sources: no cycle
 * between the backend contracts and their implementations, one factory that knows them all,
 * and public classes that load on any platform.
 */
class PackageLayoutTest {
    private static final Path MAIN = DocSnippetTest.repositoryRoot().resolve("core/src/main/java/io/github/procgroup");
    private static final String INTERNAL = "io.github.procgroup.internal";

    @Test
    void theBackendContractsImportNoPlatformPackage() throws IOException {
        assertEquals(List.of(), imports(MAIN.resolve("internal"), false, INTERNAL + ".linux", INTERNAL + ".windows",
                INTERNAL + ".platform"));
    }

    @Test
    void eachBackendImportsNeitherTheOtherNorTheFactory() throws IOException {
        assertEquals(List.of(), imports(MAIN.resolve("internal/linux"), true, INTERNAL + ".windows", INTERNAL + ".platform"));
        assertEquals(List.of(), imports(MAIN.resolve("internal/windows"), true, INTERNAL + ".linux", INTERNAL + ".platform"));
    }

    @Test
    void publicClassesTouchNoBindingsSoTheyLoadOnAnyPlatform() throws IOException {
        assertEquals(List.of(), imports(MAIN, false, "io.github.procgroup.bindings"));
    }

    /** @return "File: import" for each import in the package at {@code dir} (and below, if {@code deep}) starting with a prefix */
    private static List<String> imports(Path dir, boolean deep, String... prefixes) throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = deep ? Files.walk(dir) : Files.list(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertFalse(sources.isEmpty(), "no sources in " + dir);
        for (Path source : sources) {
            for (String line : Files.readAllLines(source)) {
                for (String prefix : prefixes) {
                    if (line.startsWith("import " + prefix + ".") || line.startsWith("import static " + prefix + ".")) {
                        found.add(source.getFileName() + ": " + line);
                    }
                }
            }
        }
        return found;
    }
}
