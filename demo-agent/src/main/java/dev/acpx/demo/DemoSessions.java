package dev.acpx.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.protocol.SelectOption;
import dev.acpx.core.protocol.SessionConfigOption;
import dev.acpx.core.protocol.SessionMode;
import dev.acpx.core.protocol.SessionModeState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo agent's sessions, one small JSON file each, so that a respawned agent can
 * {@code session/load} what an earlier process created (that is what acpx reconnects rely on).
 */
final class DemoSessions {

    static final List<SessionMode> MODES = List.of(
            new SessionMode("default", "Default", "Answer and act"),
            new SessionMode("plan", "Plan", "Plan before acting"));
    static final List<SelectOption> MODELS = List.of(
            new SelectOption("demo-fast", "Demo fast", null, null, null),
            new SelectOption("demo-smart", "Demo smart", null, null, null));

    /** Disk form of a session. */
    record State(String sessionId, String cwd, String modeId, String model, List<Turn> history) {}

    /** One remembered message. */
    record Turn(String role, String text) {}

    private final ObjectMapper mapper;
    private final Path dir;
    private final Map<String, State> live = new ConcurrentHashMap<>();

    DemoSessions(ObjectMapper mapper, Path dir) {
        this.mapper = mapper;
        this.dir = dir;
    }

    State create(String sessionId, String cwd) throws JsonRpcException {
        State s = new State(sessionId, cwd, "default", "demo-fast", new ArrayList<>());
        save(s);
        return s;
    }

    /** The session, from memory or disk; -32002 (resource not found) when it does not exist. */
    State get(String sessionId) throws JsonRpcException {
        State s = live.get(sessionId);
        if (s != null) {
            return s;
        }
        Path file = file(sessionId);
        if (!Files.isRegularFile(file)) {
            throw new JsonRpcException(-32002, "Resource not found: session " + sessionId);
        }
        try {
            s = mapper.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new JsonRpcException(JsonRpcException.INTERNAL_ERROR,
                    "demo session file " + file + " is unreadable: " + e.getMessage());
        }
        s = new State(s.sessionId(), s.cwd(), s.modeId(), s.model(), new ArrayList<>(s.history()));
        live.put(sessionId, s);
        return s;
    }

    void save(State s) throws JsonRpcException {
        live.put(s.sessionId(), s);
        Path file = file(s.sessionId());
        try {
            Files.createDirectories(dir);
            Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.write(tmp, mapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(s));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new JsonRpcException(JsonRpcException.INTERNAL_ERROR,
                    "cannot save demo session in " + dir + ": " + e.getMessage());
        }
    }

    static SessionModeState modes(State s) {
        return new SessionModeState(s.modeId(), MODES);
    }

    static List<SessionConfigOption> configOptions(State s) {
        return List.of(new SessionConfigOption.Select("model", "Model", "Which demo model answers", "model",
                s.model(), MODELS));
    }

    private Path file(String sessionId) {
        return dir.resolve(sessionId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }
}
