package io.github.procgroup.internal.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The environment block {@code CreateProcessW} takes with {@code CREATE_UNICODE_ENVIRONMENT}:
 * {@code NAME=value} strings in UTF-16LE, each ended by a NUL character, sorted by name without
 * regard to case (as Windows keeps them), and one more NUL at the end.
 */
final class EnvironmentBlock {
    private EnvironmentBlock() {
    }

    /** @return the block's bytes */
    static byte[] encode(Map<String, String> environment) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(environment.entrySet());
        entries.sort(Map.Entry.comparingByKey((a, b) -> {
            int byUpperCase = a.toUpperCase(Locale.ROOT).compareTo(b.toUpperCase(Locale.ROOT));
            return byUpperCase != 0 ? byUpperCase : a.compareTo(b);
        }));
        StringBuilder block = new StringBuilder();
        for (Map.Entry<String, String> e : entries) {
            block.append(e.getKey()).append('=').append(e.getValue()).append('\0');
        }
        if (entries.isEmpty()) {
            block.append('\0'); // an empty block is still two NULs
        }
        block.append('\0');
        ByteBuffer bytes = StandardCharsets.UTF_16LE.encode(block.toString()).order(ByteOrder.LITTLE_ENDIAN);
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        return out;
    }
}
