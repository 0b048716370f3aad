#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and the procgroup command's jar, then in one run: the C
# floor (compiled here with cc; skipped with a note where there is none), every JMH benchmark with
# procgroup, ProcessBuilder and NuProcess, and the fresh-JVM measures (first start, the command's
# wall time); prints the comparison table (ratios to the C floor and to ProcessBuilder) and the
# goals. JMH's JSON goes to benchmarks/target/results*.json.
#   benchmarks/run.sh --quick        smoke run (well under a minute; the figures mean little)
#   benchmarks/run.sh                short profile (a few minutes on 2 cores)
#   benchmarks/run.sh --long         the profile for publishing numbers
#   benchmarks/run.sh --only Spawn   benchmark classes matching a regular expression
#   benchmarks/run.sh --only CgroupSpawn   what a cgroup of its own costs per child (CGROUP vs GROUP)
set -euo pipefail
cd "$(dirname "$0")/.."

# Any JDK 22+ will do: bin/find-jdk's search (JAVA_HOME if it qualifies, else the newest installed),
# the one bin/procgroup and .ci/run use.
JAVA_HOME=$(bin/find-jdk --javac 22)
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
echo "using JDK at $JAVA_HOME"

# The command's jar is built by the cli module where there is one (else by core, as before).
modules=benchmarks
[ -f cli/pom.xml ] && modules=benchmarks,cli
mvn -B -q -pl "$modules" -am package -DskipTests
# JMH takes a machine-wide lock so that two runs do not measure each other; a smoke run skips it.
lock=()
case " $* " in *" --quick "*) lock=(-Djmh.ignoreLock=true) ;; esac
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${lock[@]}" -cp benchmarks/target/benchmarks.jar \
  io.github.procgroup.benchmarks.Compare "$@"
