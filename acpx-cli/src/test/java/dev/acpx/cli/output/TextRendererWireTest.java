package dev.acpx.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The text format's lines taken from raw ACP messages, laid out as the Node acpx 0.19.1 lays them out. */
class TextRendererWireTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final TextRenderer text = new TextRenderer(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, false);

    private static TurnEvent.Wire toAgent(String json) {
        return new TurnEvent.Wire(TurnEvent.Direction.TO_AGENT, json);
    }

    private static TurnEvent.Wire fromAgent(String json) {
        return new TurnEvent.Wire(TurnEvent.Direction.FROM_AGENT, json);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void requestsBecomeClientLinesAndTheTurnsOwnMethodsDoNot() {
        assertTrue(text.wants(TurnEvent.Wire.class), "raw messages are needed for the [client] lines");
        text.onEvent(toAgent("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{}}"));
        text.onEvent(fromAgent("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":1}}"));
        text.onEvent(toAgent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session/new\",\"params\":{}}"));
        text.onEvent(toAgent("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session/prompt\",\"params\":{}}"));
        text.onEvent(fromAgent("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{}}"));
        text.onEvent(new TurnEvent.AgentText("hi"));
        text.onEvent(new TurnEvent.Done(new StopReason("end_turn")));
        text.flush();
        assertEquals("[client] initialize (running)\n\n[client] session/new (running)\nhi\n\n[done] end_turn\n", stdout());
    }

    @Test
    void aRefusalShowsItsDetailsAndTheTypedEventsOfTheRequestShowNothing() {
        text.onEvent(new TurnEvent.Thought("considering"));
        text.onEvent(fromAgent("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"terminal/create\",\"params\":{}}"));
        text.onEvent(new TurnEvent.ClientOperation("terminal/create", "terminal sh", "denied", "Permission denied for terminal/create"));
        text.onEvent(toAgent("{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32603,\"message\":\"Internal error\","
                + "\"data\":{\"details\":\"Permission denied for terminal/create\"}}}"));
        text.onEvent(toAgent("{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}"));
        text.flush();
        assertEquals("[thinking] considering\n\n[client] terminal/create (running)\n\n"
                + "[error] RUNTIME: Permission denied for terminal/create\n\n[error] RUNTIME: Internal error\n"
                + "hint: rerun with `--verbose` to capture the underlying ACP error details.\n", stdout());
    }

    @Test
    void aPermissionNoticeInAnAnswerIsShown() {
        text.onEvent(toAgent("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"outcome\":{\"outcome\":\"cancelled\"},"
                + "\"_meta\":{\"acpx\":{\"permissionNotice\":\"asked nobody\"}}}}"));
        assertEquals("[permission] asked nobody\n", stdout());
    }

    @Test
    void aTurnErrorIsASectionOnStdout() {
        text.onEvent(new TurnEvent.AgentText("about to crash\n"));
        text.turnError(new AcpxException(ErrorKind.TIMEOUT, "Timed out after 1000ms"), false);
        assertEquals("about to crash\n\n[error] TIMEOUT: Timed out after 1000ms\nhint: increase `--timeout <seconds>` for"
                + " long-running prompts, or check whether the agent/provider is stalled.\n", stdout());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailureBeforeAnythingOfTheTurnArrivedStaysOnStderr() {
        text.turnError(new AcpxException(ErrorKind.RUNTIME, "no room"), false);
        assertEquals("", stdout());
        assertEquals("no room\n", err.toString(StandardCharsets.UTF_8));
    }
}
