#!/usr/bin/env node
// Writes N realistic session records into <home>/.acpx/sessions, made from the Node acpx
// fixtures by giving each copy fresh ids, the bench's agent command, cwd and home, and
// spread-out timestamps. Usage:
//   node gen-records.mjs <fixtures-dir> <home> <cwd> <agent-command> <count>
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const [fixturesDir, home, cwd, agentCommand, countText] = process.argv.slice(2);
const count = Number.parseInt(countText ?? "", 10);
if (!fixturesDir || !home || !cwd || !agentCommand || !(count > 0)) {
  console.error("usage: gen-records.mjs <fixtures-dir> <home> <cwd> <agent-command> <count>");
  process.exit(2);
}

const fixtures = fs
  .readdirSync(fixturesDir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => fs.readFileSync(path.join(fixturesDir, f), "utf8"));
if (fixtures.length === 0) {
  console.error(`no *.json fixtures in ${fixturesDir}`);
  process.exit(1);
}

const sessionsDir = path.join(home, ".acpx", "sessions");
fs.mkdirSync(sessionsDir, { recursive: true, mode: 0o700 });
const base = Date.parse("2026-01-01T00:00:00.000Z");

for (let i = 0; i < count; i += 1) {
  const id = randomUUID();
  // Rewrite the fixture's paths as text first, so every nested path follows the new home.
  const text = fixtures[i % fixtures.length]
    .replaceAll("/home/user/project", cwd)
    .replaceAll("/home/user", home)
    .replaceAll("node /opt/mock-agent/agent.mjs", agentCommand);
  const record = JSON.parse(text);
  const oldId = record.acpx_record_id;
  record.acpx_record_id = id;
  record.acp_session_id = id;
  if ("agent_session_id" in record) record.agent_session_id = randomUUID();
  record.agent_command = agentCommand;
  // Most records live in other folders of the same repo, a few in cwd itself: a realistic spread.
  record.cwd = i % 10 === 0 ? cwd : path.join(cwd, `pkg-${i % 37}`);
  if (typeof record.name === "string") record.name = `${record.name}-${i}`;
  // No live processes: a stale pid would only make the tools probe a random process.
  delete record.pid;
  const t = (ms) => new Date(base + i * 60_000 + ms).toISOString();
  for (const key of ["created_at", "agent_started_at", "last_prompt_at"]) {
    if (key in record && record[key] !== null) record[key] = t(0);
  }
  for (const key of ["last_used_at", "updated_at", "last_agent_exit_at", "closed_at"]) {
    if (key in record && record[key] !== null) record[key] = t(5_000);
  }
  if (record.event_log && typeof record.event_log.active_path === "string") {
    record.event_log.active_path = record.event_log.active_path.replace(oldId, id);
  }
  fs.writeFileSync(path.join(sessionsDir, `${id}.json`), `${JSON.stringify(record, null, 2)}\n`);
}
console.error(`wrote ${count} records to ${sessionsDir}`);
