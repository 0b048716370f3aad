package io.github.procgroup.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds an installed Java older than 22, to show what the command does on one. */
final class OldJava {
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");
    private static final int OLDEST_THE_ENTRY_RUNS_ON = 8;
    private static final int FIRST_SUPPORTED = 22;

    private OldJava() {
    }

    /** @return the newest Java home of feature version 8 to 21 in bin/find-jdk's places, if any */
    static Optional<Path> find() {
        List<Path> homes = new ArrayList<>();
        for (String parent : List.of("/usr/lib/jvm", "/opt/java", "/opt")) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of(parent))) {
                dirs.forEach(homes::add);
            } catch (IOException e) {
                // No such directory here: nothing to look at.
            }
        }
        return homes.stream()
                .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> featureVersion(home).stream()
                        .anyMatch(v -> v >= OLDEST_THE_ENTRY_RUNS_ON && v < FIRST_SUPPORTED))
                .max(Comparator.comparingInt((Path home) -> featureVersion(home).orElse(0))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** @return the feature version from {@code home/release}, if it has one */
    static OptionalInt featureVersion(Path home) {
        try {
            Matcher m = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }
}
