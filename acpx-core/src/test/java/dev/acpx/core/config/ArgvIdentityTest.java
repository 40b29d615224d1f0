package dev.acpx.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgvIdentityTest {
    @Test
    void safeTokensStayBareOthersAreJsonQuoted() {
        assertEquals("node /opt/mock-agent/agent.mjs", ArgvIdentity.render(List.of("node", "/opt/mock-agent/agent.mjs")));
        assertEquals("npx -y @scope/pkg@^1.2.3 --x=a,b:c ~/p%", ArgvIdentity.render(
                List.of("npx", "-y", "@scope/pkg@^1.2.3", "--x=a,b:c", "~/p%")));
        assertEquals("a \"with space\" \"\" \"q\\\"uote\" \"back\\\\slash\" \"$HOME\"",
                ArgvIdentity.render(List.of("a", "with space", "", "q\"uote", "back\\slash", "$HOME")));
    }

    @Test
    void quotesLikeJavaScriptJsonStringify() {
        assertEquals("\"\\n\\t\\r\\b\\f\\u0001\\u001f\"", ArgvIdentity.quote("\n\t\r\b\f\u0001\u001f"));
        assertEquals("\"é ✓ 😀\"", ArgvIdentity.quote("é ✓ 😀"));
        assertEquals("\"\\ud800x\"", ArgvIdentity.quote("\ud800x"));
        assertEquals("\"\u007f\"", ArgvIdentity.quote("\u007f"));
    }
}
