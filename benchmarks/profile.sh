#!/usr/bin/env bash
# Where the time goes: profiles of procgroup's spawn + wait and of its cold start, with whichever of the tools below
# are installed. Writes to benchmarks/target/profile/ and prints the summaries that
# docs/benchmarks.md quotes ("Where the time goes").
#   benchmarks/profile.sh          JFR hot methods, system calls per spawn (strace), cold start
# Each step is skipped with a note where its tool is missing. Run benchmarks/run.sh --quick first
# (or mvn -pl benchmarks -am package) so that benchmarks/target/benchmarks.jar exists.
set -euo pipefail
cd "$(dirname "$0")/.."
# bin/find-jdk's search, as in run.sh; a JDK (--javac) also has the jfr tool used below.
JAVA_HOME=$(bin/find-jdk --javac 22)
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "no $jar: run benchmarks/run.sh --quick or mvn -pl benchmarks -am package first" >&2; exit 1; }
out=benchmarks/target/profile
mkdir -p "$out"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar")
loop=io.github.procgroup.benchmarks.ProfileLoop
warmup=${WARMUP:-2000}
count=${COUNT:-4000}

echo "== JFR: hot methods of the spawn+wait loop ($warmup warm-up, $count measured)"
for lib in procgroup processBuilder; do
  "${java[@]}" -XX:StartFlightRecording:filename="$out/$lib.jfr",settings=profile "$loop" "$lib" "$warmup" "$count" 2>&1 | grep -v '^\[' || true
  "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$out/$lib.jfr" | head -n 30
  "$JAVA_HOME/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "$out/$lib.jfr" > "$out/$lib.samples.txt"
done

echo "== system calls per spawn+wait, the parent's side (strace -f, between the loop's markers)"
if command -v strace >/dev/null; then
  n=200
  for lib in procgroup processBuilder; do
    strace -f -qq -o "$out/$lib.strace" "${java[@]}" "$loop" "$lib" 300 "$n" >/dev/null 2>&1
    # Children are the pids that execve /bin/true (or jspawnhelper); resumed halves of interrupted calls are not counted twice.
    awk -v n="$n" '
      FNR == NR { if ($2 ~ /^execve\("(\/bin\/true|[^"]*jspawnhelper)"/) child[$1] = 1; next }
      /procgroup-profile-start/ { on = 1; next }
      /procgroup-profile-end/ { on = 0 }
      on && !($1 in child) && $2 !~ /^<\.\.\./ { split($2, a, "("); calls[a[1]]++; total++ }
      END { printf "%s: %.1f system calls per spawn+wait\n", FILENAME, total / n;
            for (c in calls) printf "  %-20s %6.2f\n", c, calls[c] / n | "sort -k2 -n -r" }
    ' "$out/$lib.strace" "$out/$lib.strace"
  done
  if command -v cc >/dev/null; then
    cc -O2 -pthread -o "$out/floor" benchmarks/src/main/c/floor.c
    strace -f -qq -o "$out/floor.strace" "$out/floor" spawn "$n" >/dev/null
    awk -v n="$n" '
      FNR == 1 { main = $1 }
      $1 == main && $2 !~ /^<\.\.\./ { split($2, a, "("); calls[a[1]]++; total++ }
      END { printf "C floor: %.1f system calls per spawn+wait (its own start-up included)\n", total / n;
            for (c in calls) printf "  %-20s %6.2f\n", c, calls[c] / n | "sort -k2 -n -r" }
    ' "$out/floor.strace"
  fi
else
  echo "strace not installed: skipped (apt-get install strace)"
fi

echo "== cold start: classes loaded, downcall handles linked, JFR of the first spawn"
"${java[@]}" -Xlog:class+load=info:file="$out/classload.txt" "$loop" first 0 0
echo "classes loaded by the JVM in all: $(grep -c 'source:' "$out/classload.txt")"
echo "  of procgroup (io.github.procgroup.*): $(grep -c ' io\.github\.procgroup\.' "$out/classload.txt")"
echo "  of java.lang.foreign / jdk.internal.foreign: $(grep -c -E ' (java\.lang\.foreign|jdk\.internal\.foreign)\.' "$out/classload.txt")"
echo "  of java.lang.invoke (incl. hidden LambdaForms): $(grep -c ' java\.lang\.invoke\.' "$out/classload.txt")"
echo "  jextract function holders (one downcall handle each): $(grep -c -E ' io\.github\.procgroup\.bindings\.[a-z]+\.LibC\$[a-z_0-9]+ ' "$out/classload.txt")"
echo "  downcall stubs (one per linked shape): $(grep -c ' jdk\.internal\.foreign\.abi\.DowncallStub' "$out/classload.txt")"
"${java[@]}" -Xlog:class+load=info:file="$out/classload-pb.txt" -cp "$jar" io.github.procgroup.benchmarks.CommandBenchmark\$SpawnTrue
echo "for comparison, a JVM that runs /bin/true with ProcessBuilder loads $(grep -c 'source:' "$out/classload-pb.txt") classes"
for flag in "" "-XX:UserThreadWaitAttemptsAtExit=0"; do
  start=$(date +%s%N)
  "${java[@]}" $flag "$loop" first 0 0 >/dev/null
  echo "JVM wall time, first spawn then exit${flag:+ with $flag}: $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
