# Case (h), sourced by bench/run: the runtime alone, no CLI. 100 sessions held open at once in
# one JVM through the public API (dev.acpx.api.AcpxRuntime), memory per session, then turns per
# second over them (bench/java/SessionsBench.java, run by bench/lib/h-run.sh). Only "ours" has
# an embeddable runtime; the Node tools are recorded as skipped.
# Env: H_DRIVER (exec, or a class implementing SessionsBench.Driver; H_CLASSPATH adds its jar),
#      H_SESSIONS (100), H_TURNS (100).
H_LABEL="(h) runtime: ${H_SESSIONS:-100} sessions in one JVM"
H_ARGS=(--raw bash "$BENCH/lib/h-run.sh")
H_TOOLS="ours"
H_RUNS=0   # one run, timed as it goes (it takes tens of seconds)
H_WARMUP=0
