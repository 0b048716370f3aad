package io.github.procgroup;

import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code ```java} snippet of README.md and docs/*.md, read from the files at test time,
 * compiles and runs: each becomes the body of {@code static void run() throws Exception} in a
 * class that imports {@code io.github.procgroup.*} and the usual JDK packages (see
 * {@link #IMPORTS}). A snippet that cannot stand alone opts out with a marker comment on the
 * line before its fence (see CONTRIBUTING.md): {@code <!-- snippet: fragment -->} (not compiled)
 * or {@code <!-- snippet: compile-only -->} (compiled, not run).
 */
@ExtendWith(NoLeftovers.class)
class DocSnippetTest {
    static final String FRAGMENT = "<!-- snippet: fragment";
    static final String COMPILE_ONLY = "<!-- snippet: compile-only";
    private static final List<String> IMPORTS = List.of("io.github.procgroup.*", "java.io.*", "java.nio.charset.*",
            "java.nio.file.*", "java.time.*", "java.util.*", "java.util.concurrent.*");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(50);
    /** How javac reports an error: {@code /path/Snippet_README_md_53.java:7: error: ...}. */
    private static final Pattern ERROR = Pattern.compile("^.*/(Snippet_\\w+)\\.java:(\\d+): error: (.*)$");

    /** One fenced block: where it is, its code, and whether it runs. */
    record Snippet(Path file, int line, String code, boolean run) {
        String className() {
            String base = file.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_");
            return "Snippet_" + base + "_" + line;
        }

        String source() {
            StringBuilder java = new StringBuilder();
            IMPORTS.forEach(i -> java.append("import ").append(i).append(";\n"));
            // One line per import above: the snippet's first line is line IMPORTS.size() + 2 of the class.
            java.append("public class ").append(className()).append(" { public static void run() throws Exception {\n")
                    .append(code).append("\n}}\n");
            return java.toString();
        }

        @Override
        public String toString() {
            return file.getFileName() + ":" + line;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyJavaSnippetInTheDocsCompilesAndRuns() throws Exception {
        List<Snippet> snippets = new ArrayList<>();
        for (Path file : documents(repositoryRoot())) {
            snippets.addAll(snippets(file));
        }
        assertFalse(snippets.isEmpty(), "no java snippet found in README.md and docs/");
        Path classes = Files.createTempDirectory("procgroup-snippets");
        Map<String, String> errors = compile(snippets, classes);
        return snippets.stream().map(s -> DynamicTest.dynamicTest(s.toString(), () -> {
            assertEquals("", errors.getOrDefault(s.className(), ""), s + " does not compile");
            if (s.run()) {
                try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                        DocSnippetTest.class.getClassLoader())) {
                    Class<?> snippet = loader.loadClass(s.className());
                    assertTimeoutPreemptively(RUN_TIMEOUT, () -> snippet.getMethod("run").invoke(null), s + " hung");
                }
            }
        }));
    }

    @org.junit.jupiter.api.Test
    void markersExemptSnippetsAndABrokenSnippetFailsWithItsLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path doc = Files.writeString(dir.resolve("doc.md"), String.join("\n",
                "text", "```java", "int a = 1;", "```",
                "<!-- snippet: fragment (uses names it does not declare) -->", "", "```java", "undeclared();", "```",
                "<!-- snippet: compile-only (slow) -->", "```java", "Thread.sleep(1);", "```",
                "```console", "$ not java", "```",
                "```java", "int b = 1;", "int c = \"not an int\";", "```", ""));
        List<Snippet> found = snippets(doc);
        assertEquals(List.of("doc.md:3 run", "doc.md:12 compile-only", "doc.md:18 run"),
                found.stream().map(s -> s + (s.run() ? " run" : " compile-only")).toList());
        Map<String, String> errors = compile(found, Files.createDirectories(dir.resolve("classes")));
        assertEquals(List.of(found.get(2).className()), List.copyOf(errors.keySet()), errors.toString());
        assertTrue(errors.get(found.get(2).className()).startsWith("snippet line 2: incompatible types"), errors.toString());
    }

    /** @return README.md and every docs/*.md, in a stable order */
    static List<Path> documents(Path root) throws IOException {
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> list = Files.list(docs)) {
                list.filter(p -> p.toString().endsWith(".md")).sorted(Comparator.naturalOrder()).forEach(files::add);
            }
        }
        return files;
    }

    /** @return the fenced java blocks of {@code file} that are not marked as fragments */
    static List<Snippet> snippets(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Snippet> result = new ArrayList<>();
        String marker = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals("```java")) {
                int start = i + 1;
                StringBuilder code = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                if (!marker.startsWith(FRAGMENT)) {
                    result.add(new Snippet(file, start + 1, code.toString(), !marker.startsWith(COMPILE_ONLY)));
                }
                marker = "";
            } else if (!line.isEmpty()) {
                marker = line; // the last non-blank line before a fence may be its marker
            }
        }
        return result;
    }

    /**
     * Compiles every snippet with the JDK's javac, in a process of its own (the test classes run
     * in the library's module, which does not read java.compiler).
     *
     * @return the compiler's errors per class name; no entry for a class that compiled
     */
    private static Map<String, String> compile(List<Snippet> snippets, Path classes) throws Exception {
        Path sources = Files.createDirectories(classes.resolve("src"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-d", classes.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none", "-nowarn",
                "-Xmaxerrs", "1000"));
        for (Snippet s : snippets) {
            command.add(Files.writeString(sources.resolve(s.className() + ".java"), s.source()).toString());
        }
        Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
        javac.getOutputStream().close();
        // Read on another thread, so that a hung javac fails at the timeout below instead of blocking here.
        java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(javac.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!javac.waitFor(COMPILE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            javac.destroyForcibly().waitFor();
            throw new AssertionError("javac did not finish in " + COMPILE_TIMEOUT.toSeconds() + " s");
        }
        Map<String, String> errors = new TreeMap<>();
        for (String line : output.get(COMPILE_TIMEOUT.toSeconds(), TimeUnit.SECONDS).split("\n")) {
            Matcher m = ERROR.matcher(line);
            if (m.matches()) {
                long snippetLine = Long.parseLong(m.group(2)) - IMPORTS.size() - 1;
                errors.merge(m.group(1), "snippet line " + snippetLine + ": " + m.group(3) + "\n", String::concat);
            }
        }
        if (javac.exitValue() != 0 && errors.isEmpty()) {
            throw new AssertionError("javac failed without a snippet error: " + output.get());
        }
        return errors;
    }

    /** @return the checkout's root: the nearest directory up from the working one with README.md and pom.xml */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("core"))) {
                return dir;
            }
        }
        throw new UncheckedIOException(new IOException("no checkout root above " + Path.of("").toAbsolutePath()));
    }
}
