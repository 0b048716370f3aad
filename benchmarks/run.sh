#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs procgroup against ProcessBuilder in one JMH run,
# then prints the comparison table. JMH's JSON goes to benchmarks/target/results.json.
#   benchmarks/run.sh            short profile (a few minutes on 2 cores)
#   benchmarks/run.sh --long     the profile for publishing numbers
#   benchmarks/run.sh --only Spawn   one benchmark class (a regular expression)
#   benchmarks/run.sh --only CgroupSpawn   what a cgroup of its own costs per child (CGROUP vs GROUP)
set -euo pipefail
cd "$(dirname "$0")/.."

# Any JDK 22+ will do: JAVA_HOME if it qualifies, else the newest one under the usual places.
feature() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true; }
jdk_ok() { [ -x "$1/bin/javac" ] && [ "$(feature "$1")" -ge 22 ] 2>/dev/null; }
if [ -z "${JAVA_HOME:-}" ] || ! jdk_ok "$JAVA_HOME"; then
  JAVA_HOME=$(for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
                if jdk_ok "$dir"; then echo "$(feature "$dir") $dir"; fi
              done | sort -n -r | head -n 1 | cut -d' ' -f2-)
  [ -n "$JAVA_HOME" ] || { echo "no JDK 22+ found: set JAVA_HOME to one" >&2; exit 1; }
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
echo "using JDK at $JAVA_HOME"

mvn -B -q -pl benchmarks -am package -DskipTests
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
  io.github.procgroup.benchmarks.Compare "$@"
