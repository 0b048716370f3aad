package io.github.procgroup;

import io.github.procgroup.testing.NoLeftovers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
    Stream<DynamicTest> everyJavaSnippetInTheDocsCompilesAndRuns() throws IOException {
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

    /** @return the compiler's errors per class name; no entry for a class that compiled */
    private static Map<String, String> compile(List<Snippet> snippets, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path sources = Files.createDirectories(classes.resolve("src"));
        List<Path> files = new ArrayList<>();
        for (Snippet s : snippets) {
            files.add(Files.writeString(sources.resolve(s.className() + ".java"), s.source()));
        }
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                    "-proc:none", "-Xlint:none");
            javac.getTask(null, fileManager, diagnostics, options, null, fileManager.getJavaFileObjectsFromPaths(files)).call();
        }
        Map<String, String> errors = new TreeMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null) {
                String name = Path.of(d.getSource().toUri()).getFileName().toString().replace(".java", "");
                long snippetLine = d.getLineNumber() - IMPORTS.size() - 1;
                errors.merge(name, "snippet line " + snippetLine + ": " + d.getMessage(Locale.ROOT) + "\n", String::concat);
            }
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
