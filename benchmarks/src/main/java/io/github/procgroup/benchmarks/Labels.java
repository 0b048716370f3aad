package io.github.procgroup.benchmarks;

/** The words the comparison table uses for each measure and each library. */
final class Labels {
    private Labels() {
    }

    /** @return what a measure measured, e.g. "tree kill n=10, shell waits" */
    static String measure(Measurement m) {
        return switch (m.benchmarkClass()) {
            case "SpawnBenchmark" -> "spawn+wait /bin/true";
            case "StartBenchmark" -> "start() of /bin/true returns";
            case "ThroughputBenchmark" -> "spawn+wait /bin/true, " + ThroughputBenchmark.THREADS + " threads";
            case "KillBenchmark" -> "kill+reap sleep";
            case "TreeKillBenchmark" -> "tree kill n=" + m.params().get("n")
                    + (m.params().containsKey("shell") ? ", shell " + m.params().get("shell") : "")
                    + (Floor.PROMPT.equals(m.params().get("reaper")) ? ", orphans reaped at once" : "");
            case "TreeListBenchmark" -> "tree() listing, " + (Integer.parseInt(m.params().getOrDefault("sleeps", "0")) + 1) + " processes";
            case "ConcurrencyBenchmark" -> "start " + ConcurrencyBenchmark.CHILDREN + " sleeps";
            case "PipeBenchmark" -> "pipe " + PipeBenchmark.MEBIBYTES + " MiB from dd";
            case "ColdStartBenchmark" -> "first spawn+wait in a fresh JVM";
            case "FirstCloseBenchmark" -> "first tree kill in a fresh JVM, n=" + FirstCloseBenchmark.SLEEPS + ", shell waits";
            case "CommandBenchmark" -> "command: procgroup -- /bin/true";
            default -> m.benchmarkClass() + (m.params().isEmpty() ? "" : " " + m.params());
        };
    }

    /** @return the unit a measure is shown in (pipe operations are turned into MiB/s) */
    static String unit(Measurement m) {
        return m.benchmarkClass().equals("PipeBenchmark") ? "MiB/s" : m.unit();
    }

    /** @return who did the work: the library and, where a measure has several, the call */
    static String library(String benchmarkClass, String method) {
        if (benchmarkClass.equals("CommandBenchmark")) {
            switch (method) {
                case "cFloor" -> { return "C floor: timeout 10 /bin/true"; }
                case "procgroup" -> { return "procgroup: java -jar procgroup.jar"; }
                case "procgroupLauncher" -> { return "procgroup: bin/procgroup"; }
                case "procgroupLauncherNoCache" -> { return "procgroup: bin/procgroup, cache off"; }
                case "helloWorld" -> { return "JVM hello world"; }
                case "processBuilder" -> { return "ProcessBuilder: JVM running /bin/true"; }
                default -> { }
            }
        }
        return switch (method) {
            case Floor.METHOD -> "C floor";
            case ComparisonTable.PROCGROUP -> switch (benchmarkClass) {
                case "KillBenchmark" -> "procgroup destroyForcibly()";
                case "TreeKillBenchmark" -> "procgroup signal(KILL)";
                default -> "procgroup";
            };
            case "procgroupClose" -> "procgroup close()";
            case "procgroupCloseAfterAnother" -> "procgroup close(), a process started since";
            case "procgroupTerminate" -> "procgroup terminate()";
            case "procgroupCloseCgroup" -> "procgroup close(), CGROUP containment";
            case "procgroupTerminateCgroup" -> "procgroup terminate(), CGROUP containment";
            case ComparisonTable.PROCESS_BUILDER -> "ProcessBuilder";
            case ComparisonTable.PROCESS_BUILDER_VFORK -> "ProcessBuilder VFORK";
            case "nuProcess" -> "NuProcess 3.0.0";
            case "ffmFloor" -> "FFM floor: procgroup's calls, bare";
            case Floor.KILL_ROUND -> "C: procgroup's close(), bare";
            case "procgroupAotCache" -> "procgroup, the JVM given an AOT cache";
            case "procgroupCgroup" -> "procgroup, CGROUP containment";
            default -> method;
        };
    }
}
