package dev.acpx.core.engine.agent;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.config.AuthEnv;
import dev.acpx.core.protocol.AuthMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Credentials for agents that list auth methods: from config {@code auth} or the environment
 * ({@code ACPX_AUTH_<METHOD_ID>}). They reach the agent only through its environment, under the
 * method's normalized name as the Node acpx does, and are never written anywhere else.
 */
public final class AuthSetup {
    private final AcpxConfig config;
    private final Map<String, String> env;
    private final boolean failWhenMissing;

    public AuthSetup(AcpxConfig config, Map<String, String> env, boolean failWhenMissing) {
        this.config = config;
        this.env = env;
        this.failWhenMissing = failWhenMissing;
    }

    /** The agent's environment additions: every configured or prefixed credential under its plain name too. */
    Map<String, String> agentEnvironment() {
        Map<String, String> out = new HashMap<>();
        config.auth().forEach((method, credential) -> {
            String token = AuthEnv.token(method);
            if (!token.isEmpty() && credential != null && !credential.isBlank()) {
                out.putIfAbsent(token, credential);
                out.putIfAbsent(AuthEnv.PREFIX + token, credential);
            }
        });
        env.forEach((key, value) -> {
            if (key.startsWith(AuthEnv.PREFIX) && value != null && !value.isBlank()) {
                String token = AuthEnv.token(key.substring(AuthEnv.PREFIX.length()));
                if (!token.isEmpty() && !env.containsKey(token)) {
                    out.putIfAbsent(token, value);
                }
            }
        });
        return out;
    }

    void authenticate(List<AuthMethod> methods, Consumer<String> authenticate) {
        if (methods == null || methods.isEmpty()) {
            return;
        }
        for (AuthMethod method : methods) {
            Optional<String> credential = config.credentialFor(method.id(), env);
            if (credential.isPresent()) {
                authenticate.accept(method.id());
                return;
            }
        }
        if (failWhenMissing) {
            throw new AcpxException(ErrorKind.RUNTIME, "the agent needs authentication ("
                    + String.join(", ", methods.stream().map(AuthMethod::id).toList())
                    + ") but no credential was found; add one under `auth` in ~/.acpx/config.json or set "
                    + AuthEnv.PREFIX + AuthEnv.token(methods.get(0).id()));
        }
    }
}
