#!/usr/bin/env node
// Gathers the per-case results of bench/run into latest.json, latest.md and latest.svg
// (bench/run turns the SVG into latest.png). Arguments:
//   <raw-dir> <out-dir> <cases, one a line> <tools, one a line> <case<TAB>label lines> <params> <ours-version>
import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [rawDir, outDir, casesText, toolsText, labelsText, params, oursVersion] = process.argv.slice(2);
const cases = casesText.split("\n").filter(Boolean);
const tools = toolsText.split("\n").filter(Boolean);
const labels = Object.fromEntries(labelsText.split("\n").filter(Boolean).map((l) => l.split("\t")));
const BASELINE = "node-0.19.1";

function sh(command) {
  try {
    return execSync(command, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    return "unavailable";
  }
}

function nodeAcpxVersion(v) {
  try {
    const file = path.join(outDir, "..", "..", ".bench", "node", v, "node_modules", "acpx", "package.json");
    return JSON.parse(fs.readFileSync(file, "utf8")).version;
  } catch {
    return "not installed";
  }
}

const results = {};
for (const kase of cases) {
  results[kase] = { label: labels[kase] ?? kase, tools: {} };
  for (const tool of tools) {
    const file = path.join(rawDir, `${kase}.${tool}.json`);
    results[kase].tools[tool] = fs.existsSync(file)
      ? JSON.parse(fs.readFileSync(file, "utf8"))
      : { case: kase, tool, status: "failed", reason: "no result written" };
  }
}

const cpuModel = (fs.readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.*)$/m) ?? [])[1] ?? os.cpus()[0]?.model;
const report = {
  date: new Date().toISOString(),
  machine: {
    nproc: Number(sh("nproc")) || os.cpus().length,
    cpu: cpuModel,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
  },
  versions: {
    "node-0.19.1": nodeAcpxVersion("0.19.1"),
    "node-0.1.15": nodeAcpxVersion("0.1.15"),
    ours: oursVersion,
    node: process.version,
    // The JDK ours runs on (bench/run passes the one bin/acpx picks), not whatever java is on PATH.
    java: sh(`${process.env.BENCH_OURS_JDK ? `${process.env.BENCH_OURS_JDK}/bin/` : ""}java -version 2>&1 | head -n 1`),
    hyperfine: sh("hyperfine --version"),
  },
  params,
  results,
};
fs.mkdirSync(outDir, { recursive: true });
// The recorded commands name the shared peers by where they lie on this machine: keep the
// results free of machine paths (the agent is named in the parameters).
const shared = process.env.BENCH_SHARED_DIR;
const repo = path.resolve(outDir, "..", "..");
let recorded = JSON.stringify(report, null, 2);
if (shared) recorded = recorded.split(shared).join("<shared>");
recorded = recorded.split(`${repo}/`).join(""); // this checkout's own scripts, named from its root
fs.writeFileSync(path.join(outDir, "latest.json"), `${recorded}\n`);

// ------------------------------------------------------------------ Markdown
const isMemoryCase = (kase) => cases.includes(kase) && Object.values(results[kase].tools).some((r) => r.owner_rss_kb != null);
const mib = (kb) => `${(kb / 1024).toFixed(1)} MiB`;
const secs = (s) => (s >= 10 ? `${s.toFixed(1)} s` : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(0)} ms`);
const notes = [];
function cell(r) {
  if (r.status === "ok") {
    if (r.owner_rss_kb != null) return mib(r.owner_rss_kb);
    return secs(r.median);
  }
  notes.push(`${r.case}/${r.tool}: ${r.status}${r.reason ? ` — ${r.reason}` : ""}`);
  return `${r.status} [${notes.length}]`;
}
function metric(r) {
  if (!r || r.status !== "ok") return undefined;
  return r.owner_rss_kb ?? r.median;
}
function ratio(kase, mine = "ours") {
  const base = metric(results[kase].tools[BASELINE]);
  const ours = metric(results[kase].tools[mine]);
  return base && ours ? `${(ours / base).toFixed(2)}×` : "—";
}
// With the daemon measured too (tool "ours-daemon"), its ratio gets a column of its own.
const daemonRatio = tools.includes("ours-daemon");

const lines = [];
lines.push("# acpx benchmark: ours vs the Node acpx");
lines.push("");
lines.push(`- date: ${report.date}`);
lines.push(`- machine: ${report.machine.nproc} CPUs (${report.machine.cpu}), ${report.machine.memory_gib} GiB, ${report.machine.kernel}`);
lines.push(`- versions: Node acpx ${report.versions["node-0.19.1"]} and ${report.versions["node-0.1.15"]} on node ${report.versions.node}; ours: ${report.versions.ours}; ${report.versions.java}; ${report.versions.hyperfine}`);
lines.push(`- parameters: ${params}; agent: the mock ACP agent (node shared/mock-agent/agent.mjs); fresh HOME and git repo per case and tool`);
lines.push("");
lines.push("Medians of wall time (hyperfine); (g) is the resident memory (VmRSS) of the idle queue owner alone.");
lines.push("");
lines.push(`| case | ${tools.join(" | ")} | ours / ${BASELINE} |${daemonRatio ? ` ours-daemon / ${BASELINE} |` : ""}`);
lines.push(`|---|${tools.map(() => "---:").join("|")}|---:|${daemonRatio ? "---:|" : ""}`);
for (const kase of cases) {
  lines.push(`| ${results[kase].label} | ${tools.map((t) => cell(results[kase].tools[t])).join(" | ")} | ${ratio(kase)} |${daemonRatio ? ` ${ratio(kase, "ours-daemon")} |` : ""}`);
}
lines.push("");
lines.push("Peak RSS of one run (GNU time, largest single process of the run):");
lines.push("");
lines.push(`| case | ${tools.join(" | ")} |`);
lines.push(`|---|${tools.map(() => "---:").join("|")}|`);
for (const kase of cases.filter((k) => !isMemoryCase(k) && tools.some((t) => results[k].tools[t].status !== "skipped"))) {
  lines.push(`| ${results[kase].label} | ${tools.map((t) => {
    const r = results[kase].tools[t];
    return r.peak_rss_kb ? mib(r.peak_rss_kb) : "—";
  }).join(" | ")} |`);
}
const withMetrics = cases.flatMap((k) => tools.map((t) => results[k].tools[t]).filter((r) => r.metrics));
if (withMetrics.length) {
  lines.push("");
  lines.push("Figures the case programs reported (BENCH_METRICS):");
  lines.push("");
  lines.push("| case | tool | figures |");
  lines.push("|---|---|---|");
  for (const r of withMetrics) {
    const figures = Object.entries(r.metrics).map(([k, v]) => `${k}: ${v}`).join(", ");
    lines.push(`| ${results[r.case].label} | ${r.tool} | ${figures} |`);
  }
}
if (notes.length) {
  lines.push("");
  lines.push("Notes:");
  lines.push("");
  notes.forEach((n, i) => lines.push(`${i + 1}. ${n.replaceAll("|", "\\|")}`));
}
lines.push("");
fs.writeFileSync(path.join(outDir, "latest.md"), lines.join("\n"));

// ------------------------------------------------------------------ SVG chart (small multiples)
const colors = { "node-0.19.1": "#2f6fb0", "node-0.1.15": "#8fb3d9", ours: "#d9822b", "ours-daemon": "#8c4a0f" };
const width = 1200;
const left = 330;
const barH = 20;
const gap = 4;
const rowPad = 18;
const top = 70;
const rowH = tools.length * (barH + gap) + rowPad;
// Rows where no tool has a number (e.g. a case not defined yet) stay out of the picture.
const charted = cases.filter((k) => tools.some((t) => metric(results[k].tools[t]) !== undefined));
const height = top + charted.length * rowH + 40;
const esc = (s) => String(s).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const svg = [];
svg.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">`);
svg.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
svg.push(`<text x="20" y="30" font-size="20" font-weight="bold">acpx: ours vs the Node acpx — median wall time (g: idle owner RSS)</text>`);
svg.push(`<text x="20" y="52" font-size="13" fill="#555">${esc(`${report.date.slice(0, 10)} · ${report.machine.nproc} CPUs ${report.machine.cpu} · ${params} · each row scaled to its own maximum; shorter is better`)}</text>`);
let legendX = width - 20 - 115 * tools.length; // every tool's entry fits inside the right margin
for (const tool of tools) {
  svg.push(`<rect x="${legendX}" y="62" width="12" height="12" fill="${colors[tool] ?? "#999"}"/>`);
  svg.push(`<text x="${legendX + 16}" y="73" font-size="12">${esc(tool)}</text>`);
  legendX += 115;
}
charted.forEach((kase, row) => {
  const y0 = top + 14 + row * rowH;
  const values = tools.map((t) => metric(results[kase].tools[t]));
  const max = Math.max(...values.filter((v) => v !== undefined), 1e-9);
  svg.push(`<text x="20" y="${y0 + (tools.length * (barH + gap)) / 2 + 4}" font-size="14">${esc(results[kase].label)}</text>`);
  tools.forEach((tool, i) => {
    const y = y0 + i * (barH + gap);
    const r = results[kase].tools[tool];
    const v = values[i];
    if (v === undefined) {
      svg.push(`<text x="${left + 4}" y="${y + 15}" font-size="12" fill="#b00">${esc(r.status)}</text>`);
      return;
    }
    const w = Math.max(2, ((width - left - 130) * v) / max);
    svg.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colors[tool] ?? "#999"}"/>`);
    const text = r.owner_rss_kb != null ? mib(r.owner_rss_kb) : secs(v);
    svg.push(`<text x="${(left + w + 6).toFixed(1)}" y="${y + 15}" font-size="12">${esc(text)}</text>`);
  });
  svg.push(`<line x1="20" x2="${width - 20}" y1="${y0 + rowH - rowPad / 2}" y2="${y0 + rowH - rowPad / 2}" stroke="#e4e4e4"/>`);
});
svg.push(`</svg>`);
fs.writeFileSync(path.join(outDir, "latest.svg"), `${svg.join("\n")}\n`);
