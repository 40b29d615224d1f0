package dev.acpx.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * Names of the environment variables that carry agent credentials, as the Node acpx forms them:
 * {@code ACPX_AUTH_} plus the method id trimmed, each run of non-alphanumerics turned into one
 * underscore, leading and trailing underscores dropped, upper-cased.
 */
public final class AuthEnv {
    /** Prefix of every credential variable. */
    public static final String PREFIX = "ACPX_AUTH_";

    private AuthEnv() {
    }

    /** The method id as an environment token ("openai-api-key" becomes "OPENAI_API_KEY"); may be empty. */
    public static String token(String methodId) {
        String replaced = methodId.trim().replaceAll("[^a-zA-Z0-9]+", "_");
        return replaced.replaceAll("^_+|_+$", "").toUpperCase(java.util.Locale.ROOT);
    }

    /** The variable for a method id, or empty when the id has no alphanumeric character. */
    public static Optional<String> variableFor(String methodId) {
        String token = token(methodId);
        return token.isEmpty() ? Optional.empty() : Optional.of(PREFIX + token);
    }

    /** The credential from the environment; blank values count as absent. */
    public static Optional<String> fromEnv(String methodId, Map<String, String> env) {
        return variableFor(methodId)
                .map(env::get)
                .filter(value -> !value.isBlank());
    }
}
