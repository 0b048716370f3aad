package io.github.procgroup.internal.linux;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

/**
 * Writes the generated Linux bindings out as C {@code _Static_assert}s, for a C compiler to check
 * against its own view of the same headers ({@code headers/linux/procgroup_linux.h}).
 *
 * <p>What is checked comes from {@code headers/linux/linux.jextract} itself, so a symbol added
 * there is checked without touching the tests: every {@code --include-constant} (its value), every
 * {@code --include-struct}, {@code --include-union} and struct {@code --include-typedef} (size,
 * and offset and size of every named field, nested ones included), and every scalar typedef
 * (size). For an architecture with its own generated package (aarch64), a class or constant found
 * there replaces the x86_64 one: that is what procgroup uses on that architecture.
 */
final class LinuxLayouts {
    private static final String BASE_PACKAGE = "io.github.procgroup.bindings.linux";
    /** jextract emits no layout for an enum typedef: arguments of that type are bound as C int. */
    /** How jextract names an anonymous struct or union member ("$anon$124:19"). */
    private static final String ANONYMOUS = "$anon$";
    /** A member path in an offsetof() written here. */
    private static final Pattern MEMBER = Pattern.compile("offsetof\\([^,]+, ([A-Za-z0-9_.]+)\\)");
    private static final String ENUM_TYPEDEF = "idtype_t";

    private LinuxLayouts() {
    }

    /**
     * @param overridePackage the package of what differs on the checked architecture, or null
     * @return a C source of assertions, one per size, offset and constant
     */
    static String assertions(Path headers, String overridePackage) throws IOException, ReflectiveOperationException {
        StringBuilder c = new StringBuilder();
        Class<?> libc = Class.forName(BASE_PACKAGE + ".LibC");
        Class<?> overrideLibc = overridePackage == null ? null : headerClassOf(overridePackage);
        for (String line : Files.readAllLines(headers.resolve("linux/linux.jextract"))) {
            String[] option = line.trim().split("\\s+");
            if (option.length != 2) {
                continue;
            }
            String name = option[1];
            switch (option[0]) {
                case "--include-constant" -> c.append(constant(name, overrideLibc != null && has(overrideLibc, name)
                        ? overrideLibc : libc));
                case "--include-struct" -> struct(c, "struct " + name, layoutOf(name, overridePackage));
                case "--include-union" -> struct(c, "union " + name, layoutOf(name, overridePackage));
                case "--include-typedef" -> typedef(c, name, libc, overridePackage);
                default -> {
                }
            }
        }
        for (String type : List.of("short", "int", "long", "long long", "void *")) {
            c.append(assertion("sizeof(" + type + ")", Long.toString(primitive(libc, type).byteSize())));
        }
        // glibc defines X/Open field names as macros (si_pid is _sifields._kill.si_pid), which
        // would expand inside the member paths written here: undefine every member name used.
        StringBuilder undefs = new StringBuilder("#include \"procgroup_linux.h\"\n#include <stddef.h>\n");
        Matcher member = MEMBER.matcher(c);
        Set<String> names = new TreeSet<>();
        while (member.find()) {
            names.addAll(List.of(member.group(1).split("\\.")));
        }
        names.forEach(name -> undefs.append("#undef ").append(name).append('\n'));
        return undefs.append(c).toString();
    }

    private static void typedef(StringBuilder c, String name, Class<?> libc, String overridePackage)
            throws ReflectiveOperationException {
        if (name.equals(ENUM_TYPEDEF)) {
            c.append(assertion("sizeof(" + name + ")", Long.toString(primitive(libc, "int").byteSize())));
            return;
        }
        try {
            Field scalar = libc.getField(name);
            c.append(assertion("sizeof(" + name + ")", Long.toString(((MemoryLayout) scalar.get(null)).byteSize())));
        } catch (NoSuchFieldException notScalar) {
            struct(c, name, layoutOf(name, overridePackage));
        }
    }

    private static void struct(StringBuilder c, String type, GroupLayout layout) {
        c.append(assertion("sizeof(" + type + ")", Long.toString(layout.byteSize())));
        c.append(assertion("_Alignof(" + type + ")", Long.toString(layout.byteAlignment())));
        fields(c, type, "", layout, 0);
    }

    /** Offsets and sizes of the named members, recursing into nested structs and unions. */
    private static void fields(StringBuilder c, String type, String prefix, GroupLayout layout, long base) {
        for (MemoryLayout member : layout.memberLayouts()) {
            if (member.name().isEmpty()) {
                continue; // padding
            }
            long offset = base + layout.byteOffset(MemoryLayout.PathElement.groupElement(member.name().get()));
            if (member.name().get().startsWith(ANONYMOUS) && member instanceof GroupLayout anonymous) {
                // An anonymous struct or union: C names its members as the enclosing type's own.
                fields(c, type, prefix, anonymous, offset);
                continue;
            }
            String path = prefix + member.name().get();
            c.append(assertion("offsetof(" + type + ", " + path + ")", Long.toString(offset)));
            c.append(assertion("sizeof(((" + type + " *) 0)->" + path + ")", Long.toString(member.byteSize())));
            if (member instanceof GroupLayout nested) {
                fields(c, type, path + ".", nested, offset);
            }
        }
    }

    /**
     * The constant as an unsigned number of its Java width: C macros are of many types (EPOLLET
     * is {@code 1u << 31}, RLIM_INFINITY an unsigned long), and the binding is right if it has the
     * same bits.
     */
    private static String constant(String name, Class<?> header) throws ReflectiveOperationException {
        Object value = header.getMethod(name).invoke(null);
        return switch (value) {
            case Integer i -> assertion("(unsigned int) (" + name + ")", Integer.toUnsignedString(i) + "u");
            case Long l -> assertion("(unsigned long long) (" + name + ")", Long.toUnsignedString(l) + "ull");
            default -> throw new AssertionError(name + ": unexpected constant type " + value.getClass());
        };
    }

    private static GroupLayout layoutOf(String name, String overridePackage) throws ReflectiveOperationException {
        Class<?> type = null;
        if (overridePackage != null) {
            try {
                type = Class.forName(overridePackage + "." + name);
            } catch (ClassNotFoundException same) {
                // Not generated for this architecture: identical to x86_64's.
            }
        }
        if (type == null) {
            type = Class.forName(BASE_PACKAGE + "." + name);
        }
        Method layout = type.getMethod("layout");
        return (GroupLayout) layout.invoke(null);
    }

    private static MemoryLayout primitive(Class<?> libc, String type) throws ReflectiveOperationException {
        String field = switch (type) {
            case "short" -> "C_SHORT";
            case "int" -> "C_INT";
            case "long" -> "C_LONG";
            case "long long" -> "C_LONG_LONG";
            default -> "C_POINTER";
        };
        return (MemoryLayout) libc.getField(field).get(null);
    }

    private static Class<?> headerClassOf(String overridePackage) throws ClassNotFoundException {
        // The header class of a per-architecture package is LibC + the architecture (LibCAarch64).
        String arch = overridePackage.substring(overridePackage.lastIndexOf('.') + 1);
        return Class.forName(overridePackage + ".LibC" + Character.toUpperCase(arch.charAt(0)) + arch.substring(1));
    }

    private static boolean has(Class<?> header, String constant) {
        try {
            header.getMethod(constant);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    static String assertion(String expression, String value) {
        return "_Static_assert(" + expression + " == " + value + ", \"" + expression.replace("\"", "'")
                + " == " + value + "\");\n";
    }

    /** @return the folder {@code headers/} of this checkout, found upwards from the working directory */
    static Path headers() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("headers/linux/linux.jextract"))) {
                return dir.resolve("headers");
            }
        }
        throw new AssertionError("headers/linux/linux.jextract not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Compiles {@code source} with {@code compiler -fsyntax-only}, {@code headers/linux} on the
     * include path.
     *
     * @return the compiler's diagnostics, empty if it compiled
     */
    static String compile(String compiler, Path dir, String source) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("layouts.c"), source);
        List<String> command = new ArrayList<>(List.of(compiler, "-std=gnu11", "-fsyntax-only",
                "-I", headers().resolve("linux").toString(), file.toString()));
        Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes());
        if (!gcc.waitFor(60, TimeUnit.SECONDS)) {
            gcc.destroyForcibly().waitFor();
            throw new AssertionError(compiler + " hung");
        }
        return gcc.exitValue() == 0 ? "" : output.isEmpty() ? "exit " + gcc.exitValue() : output;
    }

    /** @return how many assertions the source holds (each size, offset and constant is one) */
    static long count(String source) {
        return source.lines().filter(line -> line.startsWith("_Static_assert")).count();
    }
}
