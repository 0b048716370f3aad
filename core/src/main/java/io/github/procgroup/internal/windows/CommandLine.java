package io.github.procgroup.internal.windows;

import java.util.List;

/**
 * Joins arguments into one Windows command line that the Microsoft C runtime (and
 * {@code CommandLineToArgvW}) splits back into exactly those arguments: an argument without
 * space, tab, newline or quote goes as it is; any other is put in quotes, a quote inside becomes
 * {@code \"}, and backslashes are doubled only where they precede a quote (an inner quote, or the
 * closing one). Programs that parse their command line themselves ({@code cmd.exe}) may differ.
 */
final class CommandLine {
    private CommandLine() {
    }

    /** @return the command line for {@code args} (the program first) */
    static String of(List<String> args) {
        StringBuilder line = new StringBuilder();
        for (String arg : args) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            appendQuoted(line, arg);
        }
        return line.toString();
    }

    private static void appendQuoted(StringBuilder line, String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '"')) {
            line.append(arg);
            return;
        }
        line.append('"');
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                line.append("\\".repeat(2 * backslashes + 1)); // each backslash escaped, then the quote
            } else {
                line.append("\\".repeat(backslashes)); // backslashes not before a quote are literal
            }
            backslashes = 0;
            line.append(c);
        }
        line.append("\\".repeat(2 * backslashes)).append('"'); // before the closing quote: doubled
    }
}
