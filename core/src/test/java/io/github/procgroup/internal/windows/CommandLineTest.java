package io.github.procgroup.internal.windows;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Windows command-line quoting, checked two ways: against hand-written expected lines, and by
 * splitting the line again with the Microsoft C runtime's rules (as CommandLineToArgvW applies
 * them to arguments after the program), which must give back the arguments.
 */
class CommandLineTest {

    @Test
    void plainArgumentsAreNotQuoted() {
        assertEquals("prog a b c:\\dir\\file.txt", CommandLine.of(List.of("prog", "a", "b", "c:\\dir\\file.txt")));
    }

    @Test
    void expectedQuoting() {
        assertEquals("prog \"\"", CommandLine.of(List.of("prog", "")));
        assertEquals("prog \"a b\"", CommandLine.of(List.of("prog", "a b")));
        assertEquals("prog \"a\\\"b\"", CommandLine.of(List.of("prog", "a\"b")));
        assertEquals("prog \"a b\\\\\"", CommandLine.of(List.of("prog", "a b\\")));
        assertEquals("prog a\\\\b", CommandLine.of(List.of("prog", "a\\\\b")), "backslashes not before a quote stay");
        assertEquals("prog \"a\\\\\\\"b\"", CommandLine.of(List.of("prog", "a\\\"b")));
        assertEquals("prog \"tab\there\"", CommandLine.of(List.of("prog", "tab\there")));
        assertEquals("\"C:\\Program Files\\x.exe\" y", CommandLine.of(List.of("C:\\Program Files\\x.exe", "y")));
    }

    @Test
    void everyArgumentSurvivesTheRoundTrip() {
        List<String> hard = List.of("", " ", "a", "a b", "\"", "\"\"", "\\", "\\\\", "a\\", "a\\\\", "a b\\", "a b\\\\",
                "\\\"", "a\\\"b", "a\\\\\"b", "\"quoted\"", "tab\tand space", "new\nline", "trailing space ",
                "ünïcødé €", "%PATH%", "a&b|c<d>e^f", "\\\\server\\share\\", "--opt=\"x y\"");
        for (String arg : hard) {
            List<String> args = List.of("prog", arg, "next");
            assertEquals(args.subList(1, 3), split(CommandLine.of(args)).subList(1, 3), "argument <" + arg + ">");
        }
        assertEquals(List.of("prog").size() + hard.size(), split(CommandLine.of(join("prog", hard))).size());
    }

    private static List<String> join(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** The MSVCRT argument splitter (2008+ rules) for everything after the program name. */
    static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        int i = 0;
        int n = line.length();
        // The program name: up to the first space, or quoted without escapes.
        StringBuilder program = new StringBuilder();
        boolean quoted = false;
        for (; i < n && (quoted || (line.charAt(i) != ' ' && line.charAt(i) != '\t')); i++) {
            if (line.charAt(i) == '"') {
                quoted = !quoted;
            } else {
                program.append(line.charAt(i));
            }
        }
        args.add(program.toString());
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                return args;
            }
            StringBuilder arg = new StringBuilder();
            boolean inQuotes = false;
            while (i < n && (inQuotes || (line.charAt(i) != ' ' && line.charAt(i) != '\t'))) {
                int backslashes = 0;
                while (i < n && line.charAt(i) == '\\') {
                    backslashes++;
                    i++;
                }
                if (i < n && line.charAt(i) == '"') {
                    arg.append("\\".repeat(backslashes / 2));
                    if (backslashes % 2 == 1) {
                        arg.append('"');
                    } else if (inQuotes && i + 1 < n && line.charAt(i + 1) == '"') {
                        arg.append('"'); // "" inside quotes: a literal quote (post-2008 rule)
                        i++;
                    } else {
                        inQuotes = !inQuotes;
                    }
                    i++;
                } else {
                    arg.append("\\".repeat(backslashes));
                    if (i < n && (inQuotes || (line.charAt(i) != ' ' && line.charAt(i) != '\t'))) {
                        arg.append(line.charAt(i));
                        i++;
                    }
                }
            }
            args.add(arg.toString());
        }
    }
}
