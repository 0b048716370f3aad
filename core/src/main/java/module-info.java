/**
 * procgroup: spawn processes into their own process group and control the whole
 * tree (signal, time out, kill, reap) from plain Java through the FFM API.
 * The public API is in {@link io.github.procgroup}.
 */
module io.github.procgroup {
    requires io.github.procgroup.bindings;
    exports io.github.procgroup;
}
