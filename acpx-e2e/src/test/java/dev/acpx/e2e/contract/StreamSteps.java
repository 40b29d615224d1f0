package dev.acpx.e2e.contract;

import static dev.acpx.e2e.contract.ContractTest.FORMATS;
import static dev.acpx.e2e.contract.ContractTest.step;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The streamed output of turns (issue 12): {@code exec} and {@code prompt} in text, json and
 * quiet against the mock agent's scripted prompts (echo, plan with tool calls, reads, writes and
 * terminals refused or allowed, a crash), {@code --no-wait}, and a named session. What the Node
 * acpx prints on stdout and stderr, with the exit code, is what ours must print.
 */
final class StreamSteps {
    /** The Node acpx's words for an agent gone mid-turn; ours says how it went (COMPATIBILITY.md). */
    static final String NODE_DISCONNECT = "ACP agent disconnected during request (connection_close, exit=null, signal=null)";
    static final String OUR_DISCONNECT = "the agent exited (exit code 3) during the turn; rerun with --verbose to see all of its stderr";

    /** A session the mock agent knows on both sides (its state file is written there), and one it does not. */
    static final String KNOWN = "11111111-2222-4333-8444-555555555555";
    static final String UNKNOWN = "99999999-2222-4333-8444-555555555555";

    private StreamSteps() {}

    static void files(Contract c) throws java.io.IOException {
        for (Side side : new Side[] {c.node, c.ours}) {
            Files.writeString(side.project.resolve("hello.txt"), "first line\nsecond\n");
            // The agent's own log says when a turn is running, so cancel is sent at a known point.
            side.env.put("MOCK_AGENT_LOG", side.home.resolve("mock-agent.log").toString());
        }
    }

    /** One-shot turns: every process starts its agent, so the [client] initialize lines always show. */
    static void exec(Contract c) throws Exception {
        c.check(step("text", "mock", "exec", "echo hello world"));
        c.check(step("json", "mock", "exec", "plan"));
        c.check(step("quiet", "mock", "exec", "plan"));
        c.check(step("text", "mock", "exec", "read hello.txt"));
        c.check(step("text", "--approve-all", "mock", "exec", "terminal echo hi"));
        c.check(step("quiet", "mock", "exec", "write notes.txt hi"));
        // The Node acpx ends an exec whose agent crashed with exit 1 and no word on stderr.
        c.check(step("text", "mock", "exec", "crash").err(s -> s + OUR_DISCONNECT + "\n")
                .deviates("exec says why it failed"));
    }

    /** Turns through the queue owner: the banner, then the turn as exec shows it. */
    static void prompt(Contract c) throws Exception {
        c.setUp("mock", "sessions", "new");
        // The first prompt starts the owner (agent starting, initialize + session/load); later ones find it.
        c.check(step("text", "mock", "prompt", "echo hello world"));
        c.check(step("json", "mock", "prompt", "echo hello world"));
        c.check(step("quiet", "mock", "prompt", "echo hello world"));
        c.check(step("text", "mock", "prompt", "plan"));
        c.check(step("json", "mock", "prompt", "read hello.txt"));
        c.check(step("text", "mock", "prompt", "--no-wait", "echo queued"));
        c.check(step("json", "mock", "prompt", "--no-wait", "echo queued"));
        c.setUp("mock", "sessions", "new", "--name", "foo");
        c.check(step("text", "mock", "prompt", "-s", "foo", "echo named"));
        c.tidy("mock", "sessions", "close", "foo");
        // cancel of a running turn: its answer, and the turn's own end ([done] cancelled).
        Contract.Running slow = c.start(step("text", "mock", "prompt", "slow 60000"));
        awaitTurn(c, "slow 60000");
        c.check(step("text", "mock", "cancel"));
        c.finish(slow);
        // A crash: the error is part of the turn (stdout in text), with the session's id in json.
        UnaryOperator<String> ours = s -> s.replace(NODE_DISCONNECT, OUR_DISCONNECT);
        for (String f : FORMATS) {
            Step s = step(f, "mock", "prompt", "crash").deviates("the agent's exit is named");
            c.check(f.equals("quiet") ? s.err(ours) : s.out(ours));
        }
        // Refusals last: after one, the Node acpx exits 5 for every later prompt to the same owner.
        c.check(step("text", "mock", "prompt", "write notes.txt hi"));
        c.check(step("json", "mock", "prompt", "terminal echo hi"));
    }

    /** Waits (bounded) until the mock agent of both sides logged the prompt {@code text}. */
    private static void awaitTurn(Contract c, String text) throws Exception {
        for (Side side : new Side[] {c.node, c.ours}) {
            Path log = Path.of(side.env.get("MOCK_AGENT_LOG"));
            long deadline = System.currentTimeMillis() + Contract.STEP_LIMIT.toMillis();
            while (!(Files.exists(log) && Files.readString(log).contains("\"event\":\"session/prompt\"")
                    && Files.readString(log).contains("\"text\":\"" + text + "\""))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError(side.label + ": the agent never started the turn `" + text + "`");
                }
                Thread.sleep(100);
            }
        }
    }

    /** {@code sessions new --resume-session}: the agent's session is adopted (or the command fails as there). */
    static void resume(Contract c) throws Exception {
        for (Side side : new Side[] {c.node, c.ours}) {
            Path state = Files.createDirectories(Path.of(side.env.get("MOCK_AGENT_STATE")));
            Files.writeString(state.resolve(KNOWN + ".json"), "{\"sessionId\":\"" + KNOWN + "\",\"cwd\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(side.project.toString())
                    + ",\"modeId\":\"default\",\"model\":\"mock-default\",\"history\":[]}\n");
        }
        c.check(step("json", "mock", "sessions", "new", "--resume-session", KNOWN));
        c.check(step("text", "mock", "sessions", "new", "--resume-session", UNKNOWN));
        c.check(step("json", "mock", "sessions", "new", "--resume-session", UNKNOWN));
    }
}
