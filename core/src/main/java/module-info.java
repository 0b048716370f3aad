/**
 * procgroup: spawn processes into their own process group and control the whole
 * tree (signal, time out, kill, reap) from plain Java through the FFM API.
 * The public API is in {@link io.github.procgroup}.
 *
 * <p>The FFM stubs jextract generates ({@code io.github.procgroup.bindings.*}) are compiled into
 * this module and not exported: this module is the only one that calls restricted methods, so
 * {@code --enable-native-access=io.github.procgroup} is all a module-path user names.
 */
module io.github.procgroup {
    exports io.github.procgroup;
}
