package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC-P2 §8 on the wire: the session-option flags in {@code session/new} {@code _meta}, kept in
 * the record and sent again when a reconnect falls back to a new session; {@code --prompt-retries};
 * {@code exec --config-option}; every validation message. The agent is {@link RecordingAgent},
 * which logs every line it receives.
 */
class SessionOptionFlagsTest {
    @TempDir
    Path tmp;
    Acpx acpx;
    Recorded rec;
    String agent;

    private static final String META = "{\"claudeCode\":{\"options\":{\"model\":\"b\",\"allowedTools\":[\"Read\","
            + "\"Grep\"],\"maxTurns\":3}},\"systemPrompt\":\"Be terse\"}";
    private static final String[] FLAGS = {"--model", "b", "--allowed-tools", " Read , Grep", "--max-turns", "3",
            "--system-prompt", " Be terse "};

    @BeforeEach
    void setUp() throws Exception {
        acpx = new Acpx(tmp);
        rec = Recorded.install(acpx, tmp);
        agent = Recorded.agentCommand();
    }

    @AfterEach
    void nothingLeft() throws Exception {
        acpx.run("--agent", agent, "sessions", "close");
        List<String> left = Procs.awaitNone(acpx.marker, 5000);
        assertTrue(left.isEmpty(), "processes left behind: " + left);
    }

    private String[] args(String[] flags, String... rest) {
        String[] all = new String[2 + flags.length + rest.length];
        all[0] = "--agent";
        all[1] = agent;
        System.arraycopy(flags, 0, all, 2, flags.length);
        System.arraycopy(rest, 0, all, 2 + flags.length, rest.length);
        return all;
    }

    @Test
    void execSendsTheOptionsInSessionNewMetaAndJsonOutputShowsIt() throws Exception {
        String[] flags = {"--format", "json", "--model", "b", "--allowed-tools", " Read , Grep", "--max-turns", "3",
                "--system-prompt", " Be terse "};
        Acpx.Result r = acpx.run(args(flags, "exec", "hello"));
        assertEquals(0, r.code(), r::toString);
        List<JsonNode> news = rec.params("session/new");
        assertEquals(1, news.size(), r::toString);
        assertEquals(rec.json(META), news.getFirst().get("_meta"));
        // --format json shows the same request, verbatim, on stdout
        JsonNode shown = r.out().lines().map(l -> {
            try {
                return rec.json(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).filter(m -> "session/new".equals(m.path("method").asText())).findFirst().orElseThrow();
        assertEquals(rec.json(META), shown.path("params").get("_meta"), r::toString);
        // the model is also selected before the prompt, as the Node acpx does
        List<String> methods = rec.methods();
        assertTrue(methods.indexOf("session/set_config_option") < methods.indexOf("session/prompt"), methods::toString);
        assertEquals("b", rec.params("session/set_config_option").getFirst().path("value").asText());
    }

    @Test
    void appendSystemPromptAndAnEmptyToolListAndNoMetaWithoutFlags() throws Exception {
        assertEquals(0, acpx.run("--agent", agent, "exec", "plain").code());
        assertNull(rec.params("session/new").getFirst().get("_meta"), "no flags, no _meta");
        Acpx.Result r = acpx.run("--agent", agent, "--allowed-tools", "", "--append-system-prompt", "More", "exec", "x");
        assertEquals(0, r.code(), r::toString);
        assertEquals(rec.json("{\"claudeCode\":{\"options\":{\"allowedTools\":[]}},\"systemPrompt\":{\"append\":\"More\"}}"),
                rec.params("session/new").get(1).get("_meta"));
    }

    @Test
    void sessionsNewKeepsTheOptionsAndAFallbackToANewSessionSendsThemAgain() throws Exception {
        acpx.env.put("REC_REFUSE_LOAD", "1");
        Acpx.Result created = acpx.run(args(FLAGS, "sessions", "new"));
        assertEquals(0, created.code(), created::toString);
        JsonNode record = onlyRecord();
        assertEquals(rec.json("{\"model\":\"b\",\"allowed_tools\":[\"Read\",\"Grep\"],\"max_turns\":3,"
                + "\"system_prompt\":\"Be terse\"}"), record.path("acpx").get("session_options"), record::toString);
        assertEquals("b", record.path("acpx").path("current_model_id").asText(), record::toString);
        // The prompt's owner starts a fresh agent, which refuses session/load: a new session, same _meta.
        Acpx.Result prompt = acpx.run("--agent", agent, "prompt", "hello");
        assertEquals(0, prompt.code(), prompt::toString);
        List<JsonNode> news = rec.params("session/new");
        assertEquals(2, news.size(), () -> rec.methods().toString());
        assertEquals(1, rec.params("session/load").size(), () -> rec.methods().toString());
        assertEquals(rec.json(META), news.get(0).get("_meta"));
        assertEquals(rec.json(META), news.get(1).get("_meta"));
        assertNull(rec.params("session/load").getFirst().get("_meta"), "_meta goes with session/new only");
    }

    @Test
    void ensureOfAnExistingSessionSwitchesToTheModelAskedFor() throws Exception {
        Acpx.Result created = acpx.run("--agent", agent, "sessions", "new");
        assertEquals(0, created.code(), created::toString);
        String id = created.out().strip();
        Acpx.Result ensured = acpx.run("--agent", agent, "--model", "b", "sessions", "ensure");
        assertEquals(0, ensured.code(), ensured::toString);
        assertEquals(id + "\t(existing)", ensured.out().strip(), "the same session, as the Node acpx prints it");
        assertEquals(1, rec.params("session/new").size(), () -> rec.methods().toString());
        assertTrue(rec.params("session/set_config_option").stream()
                .anyMatch(p -> "model".equals(p.path("configId").asText()) && "b".equals(p.path("value").asText())),
                () -> rec.methods().toString());
        assertEquals("b", onlyRecord().path("acpx").path("current_model_id").asText());
        Acpx.Result plain = acpx.run("--agent", agent, "sessions", "ensure");
        assertEquals(0, plain.code(), plain::toString);
        assertEquals(1, rec.params("session/set_config_option").size(), "no --model, nothing sent");
    }

    @Test
    void promptRetriesRetryTransientErrorsWithBackoffAndNotices() throws Exception {
        Acpx.Result r = acpx.run("--agent", agent, "--prompt-retries", "3", "exec", "fail 2");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("recovered after 2 failures"), r::toString);
        assertTrue(r.err().contains("[acpx] prompt failed (Internal error), retrying in 1000ms (attempt 1/3)\n"),
                r::toString);
        assertTrue(r.err().contains("[acpx] prompt failed (Internal error), retrying in 2000ms (attempt 2/3)\n"),
                r::toString);
        assertEquals(3, rec.params("session/prompt").size());
    }

    @Test
    void promptRetriesAlsoApplyToPromptsThroughTheQueueOwner() throws Exception {
        assertEquals(0, acpx.run("--agent", agent, "sessions", "new").code());
        Acpx.Result r = acpx.run("--agent", agent, "--prompt-retries", "2", "prompt", "fail 1");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("recovered after 1 failures"), r::toString);
        assertEquals(2, rec.params("session/prompt").size());
        Acpx.Result once = acpx.run("--agent", agent, "prompt", "fail 3");
        assertEquals(1, once.code(), once::toString);
        assertEquals(3, rec.params("session/prompt").size(), "no retries without the flag");
    }

    @Test
    void promptRetriesGiveUpAfterTheLimitAndNeverRetryOtherErrorsOrTurnsWithEffects() throws Exception {
        Acpx.Result r = acpx.run("--agent", agent, "--prompt-retries", "1", "exec", "fail 5");
        assertEquals(1, r.code(), r::toString);
        assertEquals(2, rec.params("session/prompt").size());
        Acpx.Result invalid = acpx.run("--agent", agent, "--prompt-retries", "2", "exec", "invalid");
        assertEquals(1, invalid.code(), invalid::toString);
        assertEquals(3, rec.params("session/prompt").size(), "-32602 is not transient");
        Acpx.Result talked = acpx.run("--agent", agent, "--prompt-retries", "2", "exec", "talkfail");
        assertEquals(1, talked.code(), talked::toString);
        assertEquals(4, rec.params("session/prompt").size(), "a turn that already answered is not sent again");
        assertFalse(talked.err().contains("retrying"), talked::toString);
        Acpx.Result parse = acpx.run("--agent", agent, "--format", "quiet", "--prompt-retries", "1", "exec", "badparse");
        assertEquals(1, parse.code(), parse::toString);
        assertEquals(6, rec.params("session/prompt").size(), "-32700 is retried");
        assertFalse(parse.err().contains("retrying"), "quiet prints no notice: " + parse);
    }

    @Test
    void execConfigOptionsAreSetInOrderAfterTheModelAndBeforeThePrompt() throws Exception {
        Acpx.Result r = acpx.run("--agent", agent, "--model", "b", "exec", "--config-option", " effort = high ",
                "--config-option", "model=a", "go");
        assertEquals(0, r.code(), r::toString);
        List<JsonNode> sets = rec.params("session/set_config_option");
        assertEquals(List.of("model=b", "effort=high", "model=a"), sets.stream()
                .map(p -> p.path("configId").asText() + "=" + p.path("value").asText()).toList());
        List<String> methods = rec.methods();
        assertEquals("session/prompt", methods.getLast(), methods::toString);
    }

    @Test
    void aRefusedConfigOptionStopsBeforeThePrompt() throws Exception {
        Acpx.Result r = acpx.run("--agent", agent, "exec", "--config-option", "bogus=1", "go");
        assertEquals(1, r.code(), r::toString);
        assertTrue((r.out() + r.err()).contains("Invalid params: unknown config option \"bogus\""), r::toString);
        assertFalse(rec.methods().contains("session/prompt"), () -> rec.methods().toString());
    }

    @Test
    void everyBadValueIsOneUsageLineAndExitTwo() throws Exception {
        String[][] cases = {
            {"--max-turns", "0", "error: option '--max-turns <count>' argument '0' is invalid. Max turns must be a positive integer"},
            {"--max-turns", "2.5", "error: option '--max-turns <count>' argument '2.5' is invalid. Max turns must be a positive integer"},
            {"--allowed-tools", "a,,b", "error: option '--allowed-tools <list>' argument 'a,,b' is invalid. Allowed tools must be a comma-separated list without empty entries"},
            {"--prompt-retries", "-1", "error: option '--prompt-retries <count>' argument '-1' is invalid. Prompt retries must be a non-negative integer"},
            {"--prompt-retries", "x", "error: option '--prompt-retries <count>' argument 'x' is invalid. Prompt retries must be a non-negative integer"},
            {"--system-prompt", " ", "error: option '--system-prompt <text>' argument ' ' is invalid. System prompt must not be empty"},
            {"--append-system-prompt", "", "error: option '--append-system-prompt <text>' argument '' is invalid. Append system prompt must not be empty"},
        };
        for (String[] c : cases) {
            Acpx.Result r = acpx.run("--agent", agent, c[0], c[1], "exec", "hi");
            assertEquals(2, r.code(), r::toString);
            assertEquals(c[2] + "\n", r.err(), r::toString);
        }
        Acpx.Result both = acpx.run("--agent", agent, "--system-prompt", "a", "--append-system-prompt", "b", "exec", "hi");
        assertEquals(2, both.code(), both::toString);
        assertEquals("Use only one of --system-prompt or --append-system-prompt\n", both.err(), both::toString);
        for (String bad : new String[] {"k", "=v", "k=", " = "}) {
            Acpx.Result r = acpx.run("--agent", agent, "exec", "--config-option", bad, "hi");
            assertEquals(2, r.code(), r::toString);
            assertEquals("error: option '--config-option <key=value>' argument '" + bad + "' is invalid. Session config"
                    + " option must use \"<key>=<value>\" with non-empty parts\n", r.err(), r::toString);
        }
        Acpx.Result json = acpx.run("--agent", agent, "--format", "json", "--max-turns", "0", "exec", "hi");
        assertEquals(2, json.code(), json::toString);
        JsonNode error = rec.json(json.out().strip());
        assertEquals(-32602, error.path("error").path("code").asInt(), json::toString);
        assertEquals("USAGE", error.path("error").path("data").path("acpxCode").asText(), json::toString);
        assertFalse(Files.exists(rec.log), "no agent was started for a usage error");
    }

    private JsonNode onlyRecord() throws Exception {
        try (var files = Files.list(acpx.home.resolve(".acpx/sessions"))) {
            List<Path> records = files.filter(f -> f.toString().endsWith(".json")).toList();
            assertEquals(1, records.size(), records::toString);
            return rec.json(Files.readString(records.getFirst()));
        }
    }
}
