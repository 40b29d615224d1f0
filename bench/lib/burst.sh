#!/usr/bin/env bash
# Case (f): send 20 prompts with --no-wait to a warm session, then wait until the agent has
# finished the 20th turn. "Done" is read from the mock agent's own log (MOCK_AGENT_LOG), one
# "prompt-done" line per finished turn, so every tool is judged by the same witness.
# Env: BENCH_TOOL (path), BENCH_AGENT (agent command line), MOCK_AGENT_LOG, BURST_COUNT (20),
#      BURST_TIMEOUT (seconds, 120).
set -euo pipefail
count=${BURST_COUNT:-20}
deadline=$((SECONDS + ${BURST_TIMEOUT:-120}))
done_lines() { grep -c '"event":"prompt-done"' "$MOCK_AGENT_LOG" 2>/dev/null || true; }
before=$(done_lines)
for ((i = 1; i <= count; i++)); do
  "$BENCH_TOOL" --agent "$BENCH_AGENT" prompt --no-wait "echo burst $i" >/dev/null
done
target=$((before + count))
while (( $(done_lines) < target )); do
  if (( SECONDS >= deadline )); then
    echo "burst: only $(( $(done_lines) - before )) of $count turns finished in time" >&2
    exit 1
  fi
  sleep 0.01
done
