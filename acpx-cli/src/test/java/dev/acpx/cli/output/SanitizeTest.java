package dev.acpx.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.Test;

class SanitizeTest {

    @Test
    void oneLineEscapesEveryControlCharacter() {
        assertEquals("boom \\u001b[31mred\\u001b[0m\\nsecond\\r\\n\\u0007 \\t\\u007f\\u009b end",
                Sanitize.line("boom \u001b[31mred\u001b[0m\nsecond\r\n\u0007 \t\u007f\u009b end"));
    }

    @Test
    void bidiOverridesAndLineSeparatorsAreShown() {
        assertEquals("a\\u202eb\\u2066c\\u2028d", Sanitize.line("a\u202eb\u2066c\u2028d"));
    }

    @Test
    void plainTextIsReturnedAsItIs() {
        String plain = "cannot start the agent 'x': not found on PATH — Grüße, 日本";
        assertSame(plain, Sanitize.line(plain));
    }

    @Test
    void linesKeepLineBreaksAndTabsButNotEscapes() {
        assertEquals("one\n\ttwo\\u001b[2J\nthree\\r", Sanitize.lines("one\r\n\ttwo\u001b[2J\nthree\r"));
    }

    @Test
    void onlyJsonRpcMessagesCountAsMessages() {
        JsonRpcLines lines = new JsonRpcLines(new JsonFactory());
        assertTrue(lines.isMessage("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"a\":[1,{}]}}"));
        assertTrue(lines.isMessage("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":null}"));
        assertTrue(lines.isMessage(" {\"id\":\"x\",\"error\":{\"code\":1},\"jsonrpc\":\"2.0\"} "));
        assertFalse(lines.isMessage("this is not json"));
        assertFalse(lines.isMessage("{broken"));
        assertFalse(lines.isMessage("[1,2,3]"));
        assertFalse(lines.isMessage("42"));
        assertFalse(lines.isMessage(""));
        assertFalse(lines.isMessage("{\"jsonrpc\":\"1.0\",\"method\":\"x\"}"));
        assertFalse(lines.isMessage("{\"jsonrpc\":\"2.0\"}"));
        assertFalse(lines.isMessage("{\"jsonrpc\":\"2.0\",\"id\":1}"));
        assertFalse(lines.isMessage("{\"jsonrpc\":\"2.0\",\"method\":7}"));
        assertFalse(lines.isMessage("{\"jsonrpc\":\"2.0\",\"method\":\"x\"} trailing"));
        assertFalse(lines.isMessage("{\"jsonrpc\":\"2.0\",\"method\":\"x\"}{\"jsonrpc\":\"2.0\",\"method\":\"y\"}"));
    }
}
