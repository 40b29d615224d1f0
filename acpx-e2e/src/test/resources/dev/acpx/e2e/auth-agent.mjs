// A minimal ACP agent for AuthSecretsTest: lists two auth methods, reports which one it was
// authenticated with and whether the credentials reached its environment (never their values).
import readline from "node:readline";
const rl = readline.createInterface({ input: process.stdin });
const send = (m) => process.stdout.write(JSON.stringify(m) + "\n");
let authed = null;
rl.on("line", (line) => {
  let m;
  try { m = JSON.parse(line); } catch { return; }
  if (m.method === undefined) return;
  const reply = (result) => send({ jsonrpc: "2.0", id: m.id, result });
  switch (m.method) {
    case "initialize":
      reply({ protocolVersion: 1, agentCapabilities: { loadSession: false },
              authMethods: [{ id: "foo", name: "Foo" }, { id: "bar", name: "Bar" }] });
      break;
    case "authenticate": authed = m.params.methodId; reply({}); break;
    case "session/new": reply({ sessionId: "auth-" + process.pid }); break;
    case "session/prompt": {
      const text = (m.params.prompt || []).map((b) => b.text || "").join(" ");
      const report = `authenticated=${authed} FOO=${process.env.FOO ? "set" : "unset"} ` +
        `BAR=${process.env.BAR ? "set" : "unset"} echo=${text}\n`;
      send({ jsonrpc: "2.0", method: "session/update", params: { sessionId: m.params.sessionId,
        update: { sessionUpdate: "agent_message_chunk", content: { type: "text", text: report } } } });
      reply({ stopReason: "end_turn" });
      break;
    }
    default:
      if (m.id !== undefined) send({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "method not found: " + m.method } });
  }
});
rl.on("close", () => process.exit(0));
