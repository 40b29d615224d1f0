#!/usr/bin/env bash
# Case (h): compiles bench/java/SessionsBench.java against our shaded jar (once per jar) and runs
# it on the mock agent. Env from bench/run: BENCH_AGENT, BENCH_HOME, BENCH_PROJECT; optional
# H_DRIVER, H_SESSIONS, H_TURNS, H_CLASSPATH, H_JAVA_OPTS.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jdk=${ACPX_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=$root/acpx-cli/target/acpx.jar
src=$root/bench/java/SessionsBench.java
classes=$root/.bench/h-classes
[ -f "$jar" ] || { echo "h-run: $jar is missing; build with mvn -DskipTests install" >&2; exit 1; }
if [ ! -f "$classes/SessionsBench.class" ] || [ "$src" -nt "$classes/SessionsBench.class" ] \
   || [ "$jar" -nt "$classes/SessionsBench.class" ]; then
  mkdir -p "$classes"
  "$jdk/bin/javac" -cp "$jar" -d "$classes" "$src"
fi
# An embedding host's JVM as shipped: default collector and heap sizing, nothing tuned.
# shellcheck disable=SC2086
exec "$jdk/bin/java" ${H_JAVA_OPTS:-} -cp "$jar:$classes${H_CLASSPATH:+:$H_CLASSPATH}" SessionsBench \
  --driver "${H_DRIVER:-exec}" --sessions "${H_SESSIONS:-100}" --turns "${H_TURNS:-100}" \
  --agent "$BENCH_AGENT" --cwd "$BENCH_PROJECT" --home "$BENCH_HOME"
