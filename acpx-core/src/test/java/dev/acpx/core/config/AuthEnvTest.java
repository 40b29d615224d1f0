package dev.acpx.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthEnvTest {
    @Test
    void normalizesLikeNode() {
        assertEquals(Optional.of("ACPX_AUTH_OPENAI_API_KEY"), AuthEnv.variableFor("openai-api-key"));
        assertEquals(Optional.of("ACPX_AUTH_GEMINI_API_KEY"), AuthEnv.variableFor("  gemini.api  key "));
        assertEquals(Optional.of("ACPX_AUTH_A_B"), AuthEnv.variableFor("--a__--b--"), "runs collapse, edges trimmed");
        assertEquals(Optional.of("ACPX_AUTH_OAUTH2"), AuthEnv.variableFor("oauth2"));
        assertEquals(Optional.of("ACPX_AUTH_CAF"), AuthEnv.variableFor("café"), "non-ASCII letters are separators");
        assertTrue(AuthEnv.variableFor("---").isEmpty());
        assertTrue(AuthEnv.variableFor("").isEmpty());
    }

    @Test
    void readsOnlyNonBlankValues() {
        assertEquals(Optional.of("s3cret"), AuthEnv.fromEnv("api-key", Map.of("ACPX_AUTH_API_KEY", "s3cret")));
        assertTrue(AuthEnv.fromEnv("api-key", Map.of("ACPX_AUTH_API_KEY", " ")).isEmpty());
        assertTrue(AuthEnv.fromEnv("api-key", Map.of("api-key", "x")).isEmpty());
    }
}
