package dev.acpx.core.engine.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionDecision;
import dev.acpx.api.PermissionOption;
import dev.acpx.api.PermissionRequest;
import dev.acpx.api.TurnEvent;
import dev.acpx.core.capability.CapabilityException;
import dev.acpx.core.capability.FileSystemAccess;
import dev.acpx.core.jsonrpc.JsonRpcException;
import dev.acpx.core.protocol.RequestPermissionOutcome;
import dev.acpx.core.protocol.RequestPermissionRequest;
import dev.acpx.core.protocol.RequestPermissionResponse;
import dev.acpx.core.protocol.ToolCallFields;
import dev.acpx.core.protocol.ToolCallLocation;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one permission path of every turn (exec, queue owner, embedded session): puts each tool call
 * the agent asks about and each client method that reads, writes or runs something before the
 * turn's policy, applies the answer, and keeps the turn's counts (a turn with denials and no grant
 * exits 5). A refused client method is answered as the Node acpx answers it: JSON-RPC -32603
 * "Internal error" with {@code data.details} "Permission denied for &lt;method&gt;".
 */
final class PermissionGate {
    static final String READ = "fs/read_text_file";
    static final String WRITE = "fs/write_text_file";
    static final String TERMINAL = "terminal/create";

    private final FileSystemAccess files;
    private final ObjectMapper mapper;
    private final Clock clock;

    PermissionGate(FileSystemAccess files, ObjectMapper mapper, Clock clock) {
        this.files = files;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** {@code session/request_permission}: the policy's answer as the agent's option. */
    RequestPermissionResponse toolCall(TurnState turn, RequestPermissionRequest request) {
        PermissionRequest.ToolCall asked = describe(request);
        PermissionDecision decision = decide(turn, asked);
        String label = asked.label();
        String kind = asked.kind();
        List<PermissionOption> options = asked.options();
        return switch (decision) {
            case PermissionDecision.Allow a -> {
                Optional<PermissionOption> chosen = approveOption(options);
                if (chosen.isEmpty()) {
                    yield cancelled(turn, label, kind);
                }
                granted(turn, asked, request.toolCall(), a.confirmed(), chosen.get().optionId());
                yield new RequestPermissionResponse(new RequestPermissionOutcome.Selected(chosen.get().optionId()));
            }
            case PermissionDecision.Select s -> {
                if (s.granted()) {
                    granted(turn, asked, request.toolCall(), s.confirmed(), s.optionId());
                } else {
                    turn.denied.incrementAndGet();
                    turn.listener.onEvent(new TurnEvent.PermissionAsked(label, kind, "denied", s.optionId()));
                }
                yield new RequestPermissionResponse(new RequestPermissionOutcome.Selected(s.optionId()));
            }
            case PermissionDecision.Deny d -> new RequestPermissionResponse(refuse(turn, label, kind, options));
            case PermissionDecision.Cancel c -> cancelled(turn, label, kind);
            case PermissionDecision.Fail f -> {
                turn.denied.incrementAndGet();
                turn.fail(new AcpxException(f.kind(), f.message()));
                turn.listener.onEvent(new TurnEvent.PermissionAsked(label, kind, "failed", null));
                yield new RequestPermissionResponse(new RequestPermissionOutcome.Cancelled());
            }
            case PermissionDecision.Escalated e -> {
                RequestPermissionOutcome outcome = refuse(turn, label, kind, options);
                TurnEvent.PermissionEscalated event = escalation(asked, e.matchedRule());
                turn.listener.onEvent(event);
                yield new RequestPermissionResponse(outcome, escalationMeta(event, request.toolCall()));
            }
        };
    }

    private void granted(TurnState turn, PermissionRequest.ToolCall asked, ToolCallFields tool, boolean confirmed,
                         String optionId) {
        turn.granted.incrementAndGet();
        if (confirmed) {
            turn.approvals.add(asked.toolCallId(), asked.writesFiles(), asked.executes(), realLocations(tool));
        }
        turn.listener.onEvent(new TurnEvent.PermissionAsked(asked.label(), asked.kind(), "allowed", optionId));
    }

    private RequestPermissionResponse cancelled(TurnState turn, String label, String kind) {
        turn.denied.incrementAndGet();
        turn.listener.onEvent(new TurnEvent.PermissionAsked(label, kind, "cancelled", null));
        return new RequestPermissionResponse(new RequestPermissionOutcome.Cancelled());
    }

    private RequestPermissionOutcome refuse(TurnState turn, String label, String kind, List<PermissionOption> options) {
        turn.denied.incrementAndGet();
        Optional<PermissionOption> reject = first(options, "reject_once").or(() -> first(options, "reject_always"));
        turn.listener.onEvent(new TurnEvent.PermissionAsked(label, kind, reject.isPresent() ? "denied" : "cancelled",
                reject.map(PermissionOption::optionId).orElse(null)));
        return reject.<RequestPermissionOutcome>map(o -> new RequestPermissionOutcome.Selected(o.optionId()))
                .orElseGet(RequestPermissionOutcome.Cancelled::new);
    }

    /** SPEC-P2 §6: allow_once, else allow_always, else the first option of any kind. */
    private static Optional<PermissionOption> approveOption(List<PermissionOption> options) {
        return first(options, "allow_once").or(() -> first(options, "allow_always"))
                .or(() -> options.stream().findFirst());
    }

    private static Optional<PermissionOption> first(List<PermissionOption> options, String kind) {
        return options.stream().filter(o -> kind.equals(o.kind())).findFirst();
    }

    /** {@code fs/read_text_file} of {@code real}: refused under deny-all. */
    void read(TurnState turn, String sessionId, Path real, String summary) throws JsonRpcException {
        clientMethod(turn, READ, summary, new PermissionRequest.FileRead(sessionId, real.toString()));
    }

    /** {@code fs/write_text_file} of {@code real}: covered by a person's approval of its tool call, or decided. */
    void write(TurnState turn, String sessionId, Path real, String content, String summary) throws JsonRpcException {
        String covering = turn.approvals.claimWrite(real);
        clientMethod(turn, WRITE, summary, new PermissionRequest.FileWrite(sessionId, real.toString(), content, covering));
    }

    /** {@code terminal/create}: covered by a person's approval of an execute call, or decided. */
    void terminal(TurnState turn, String sessionId, String command, List<String> args, String cwd, String summary)
            throws JsonRpcException {
        String covering = turn.approvals.claimTerminal();
        clientMethod(turn, TERMINAL, summary, new PermissionRequest.Terminal(sessionId, command, args, cwd, covering));
    }

    private void clientMethod(TurnState turn, String method, String summary, PermissionRequest request)
            throws JsonRpcException {
        String details = switch (decide(turn, request)) {
            case PermissionDecision.Allow a -> null;
            case PermissionDecision.Select s -> s.granted() ? null : denied(method);
            case PermissionDecision.Fail f -> f.message();
            case PermissionDecision.Deny d -> denied(method);
            case PermissionDecision.Cancel c -> denied(method);
            case PermissionDecision.Escalated e -> denied(method);
        };
        if (details != null) {
            throw refused(turn, method, summary, details);
        }
    }

    static String denied(String method) {
        return "Permission denied for " + method;
    }

    /**
     * Counts a refusal of a client method, shows it, and builds the error the agent gets. Allowed
     * client methods are not counted as grants (as in the Node acpx), refusals count as denials.
     */
    JsonRpcException refused(TurnState turn, String method, String summary, String details) {
        turn.denied.incrementAndGet();
        turn.listener.onEvent(new TurnEvent.ClientOperation(method, summary, "denied", details));
        ObjectNode data = mapper.createObjectNode().put("details", details);
        return new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "Internal error", data);
    }

    private static PermissionDecision decide(TurnState turn, PermissionRequest request) {
        try {
            PermissionDecision decision = turn.permissions.decide(request);
            return decision != null ? decision
                    : new PermissionDecision.Fail(ErrorKind.RUNTIME, "the permission policy returned no decision");
        } catch (RuntimeException e) {
            return new PermissionDecision.Fail(ErrorKind.RUNTIME, "the permission policy failed: " + e.getMessage());
        }
    }

    private PermissionRequest.ToolCall describe(RequestPermissionRequest request) {
        ToolCallFields tool = request.toolCall();
        List<PermissionOption> options = request.options() == null ? List.of() : request.options().stream()
                .map(o -> new PermissionOption(o.optionId(), o.name(), o.kind())).toList();
        if (tool == null) {
            return new PermissionRequest.ToolCall(request.sessionId(), null, null, null, null, null, List.of(), options);
        }
        List<String> locations = tool.locations() == null ? List.of() : tool.locations().stream()
                .map(ToolCallLocation::path).filter(p -> p != null).toList();
        return new PermissionRequest.ToolCall(request.sessionId(), tool.toolCallId(), tool.title(), tool.kind(),
                toolName(tool.rawInput()), tool.rawInput() == null || tool.rawInput().isNull() ? null
                : tool.rawInput().toString(), locations, options);
    }

    /** {@code rawInput.name|tool|toolName}, the Node acpx's tool name sources. */
    private static String toolName(JsonNode rawInput) {
        if (rawInput == null || !rawInput.isObject()) {
            return null;
        }
        for (String field : new String[] {"name", "tool", "toolName"}) {
            JsonNode v = rawInput.get(field);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText().trim();
            }
        }
        return null;
    }

    /** The call's locations as real paths inside the session directory; others can never be written. */
    private List<Path> realLocations(ToolCallFields tool) {
        List<Path> real = new ArrayList<>();
        if (tool == null || tool.locations() == null) {
            return real;
        }
        for (ToolCallLocation location : tool.locations()) {
            try {
                real.add(files.resolveInside(location.path()));
            } catch (CapabilityException e) {
                // outside the session directory or unnamed: no write there is ever allowed anyway
            }
        }
        return real;
    }

    private TurnEvent.PermissionEscalated escalation(PermissionRequest.ToolCall asked, String matchedRule) {
        String title = asked.label();
        String toolName = asked.toolName() != null ? asked.toolName() : asked.titleWord().isEmpty() ? null
                : asked.titleWord();
        return new TurnEvent.PermissionEscalated(asked.sessionId(), asked.toolCallId(), toolName, title,
                asked.rawInput(), asked.effectiveKind(), matchedRule,
                "Permission escalation required for " + title, clock.instant().toString());
    }

    private JsonNode escalationMeta(TurnEvent.PermissionEscalated e, ToolCallFields tool) {
        ObjectNode meta = mapper.createObjectNode();
        ObjectNode esc = meta.putObject("acpx").putObject("permissionEscalation");
        esc.put("type", "permission_escalation").put("sessionId", e.sessionId()).put("toolCallId", e.toolCallId());
        if (e.toolName() != null) {
            esc.put("toolName", e.toolName());
        }
        esc.put("toolTitle", e.toolTitle());
        if (tool != null && tool.rawInput() != null && !tool.rawInput().isNull()) {
            esc.set("toolInput", tool.rawInput());
        }
        if (e.toolKind() != null) {
            esc.put("toolKind", e.toolKind());
        }
        esc.put("action", "escalate");
        if (e.matchedRule() != null) {
            esc.put("matchedRule", e.matchedRule());
        }
        esc.put("message", e.message()).put("timestamp", e.timestamp());
        return meta;
    }
}
