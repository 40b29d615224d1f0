package dev.acpx.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The official ACP v1 JSON schema (from the npm package {@code @agentclientprotocol/sdk}) as a
 * checker of whole conversations. The schema's top-level unions accept any extension message,
 * so each message is also checked against the definition its method names ({@code x-method}),
 * for the side that receives it ({@code x-side}).
 */
final class AcpSchema {

    /** Who wrote a line. */
    enum Side {
        CLIENT, AGENT;

        Side other() {
            return this == CLIENT ? AGENT : CLIENT;
        }

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        String prefix() {
            return this == CLIENT ? "Client" : "Agent";
        }
    }

    /** One line as it travelled, with the side that wrote it. */
    record Line(Side sender, String json) {}

    private static final String RELATIVE = "node_modules/@agentclientprotocol/sdk/schema/v1/schema.json";
    /** The SDK release the vendored schema comes from (see acp-schema/SOURCE.md in the test resources). */
    static final String VERSION = "2.4.0";
    private static final String VENDORED = "/acp-schema/schema-v1.json";

    /** The vendored schema of {@code @agentclientprotocol/sdk} {@value #VERSION}. */
    static AcpSchema vendored(ObjectMapper mapper) throws IOException {
        try (var in = AcpSchema.class.getResourceAsStream(VENDORED)) {
            if (in == null) {
                throw new IOException("the vendored ACP schema " + VENDORED + " is missing from the test resources");
            }
            return new AcpSchema(mapper.readTree(in), mapper);
        }
    }

    private final ObjectMapper mapper;
    private final JsonNode root;
    private final JsonNode defs;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    AcpSchema(Path schemaFile, ObjectMapper mapper) throws IOException {
        this(mapper.readTree(Files.readString(schemaFile)), mapper);
    }

    private AcpSchema(JsonNode root, ObjectMapper mapper) throws IOException {
        this.mapper = mapper;
        this.root = root;
        this.defs = root.path("$defs");
        if (!defs.isObject() || defs.size() < 50) {
            throw new IOException("this does not look like the ACP schema (no $defs)");
        }
    }

    /**
     * The schema file inside a mock agent directory that had {@code npm ci} run in it: the one
     * bin/test prepares ({@code -Dacpx.testEnv}), else the shared one next to the repository.
     */
    static Optional<Path> locateMockAgent() {
        List<Path> candidates = new ArrayList<>();
        String testEnv = System.getProperty("acpx.testEnv");
        if (testEnv != null && !testEnv.isBlank()) {
            candidates.add(Path.of(testEnv, "mock-agent"));
        }
        String shared = System.getenv("ACPX_SHARED_DIR");
        if (shared != null && !shared.isBlank()) {
            candidates.add(Path.of(shared, "mock-agent"));
        }
        String repo = System.getProperty("acpx.repo");
        if (repo != null && !repo.isBlank()) {
            candidates.add(Path.of(repo).resolve("../shared/mock-agent").normalize());
        }
        return candidates.stream().filter(d -> Files.isRegularFile(d.resolve(RELATIVE))).findFirst();
    }

    static Path schemaIn(Path mockAgentDir) {
        return mockAgentDir.resolve(RELATIVE);
    }

    /** Every problem in a conversation, each naming the line; empty when all lines conform. */
    List<String> check(List<Line> lines) {
        // Responses are matched to requests from a first pass, because a listener may record an
        // answer before the request that caused it (the reader can beat the writer's callback).
        Map<Side, Map<String, String>> requests = new HashMap<>();
        requests.put(Side.CLIENT, new HashMap<>());
        requests.put(Side.AGENT, new HashMap<>());
        List<JsonNode> parsed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Line line : lines) {
            JsonNode msg;
            try {
                msg = mapper.readTree(line.json());
            } catch (IOException e) {
                msg = null;
            }
            parsed.add(msg);
            if (msg != null && msg.hasNonNull("method") && msg.has("id")) {
                requests.get(line.sender()).put(msg.get("id").toString(), msg.get("method").asText());
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            JsonNode msg = parsed.get(i);
            List<String> found = msg == null ? List.of("not JSON")
                    : checkMessage(line.sender(), msg, requests.get(line.sender().other()));
            for (String f : found) {
                problems.add(line.sender().wire() + " line " + i + ": " + f + "\n    " + abbreviate(line.json()));
            }
        }
        return problems;
    }

    private List<String> checkMessage(Side sender, JsonNode msg, Map<String, String> requestsOfOther) {
        List<String> problems = new ArrayList<>();
        if (!msg.isObject() || !"2.0".equals(msg.path("jsonrpc").asText(null))) {
            problems.add("not a JSON-RPC 2.0 object");
            return problems;
        }
        String method = msg.hasNonNull("method") ? msg.get("method").asText() : null;
        String kind = method == null ? "Response" : msg.has("id") ? "Request" : "Notification";
        problems.addAll(validate(sender.prefix() + kind, msg));
        switch (kind) {
            case "Request", "Notification" -> {
                Optional<String> def = definition(sender, method, kind);
                if (def.isEmpty()) {
                    if (!method.startsWith("_")) {
                        problems.add(kind.toLowerCase(java.util.Locale.ROOT) + " " + method
                                + " is not in the ACP v1 schema for a " + sender.wire() + " to send");
                    }
                } else {
                    problems.addAll(validate(def.get(), msg.path("params")));
                }
            }
            default -> {
                String asked = requestsOfOther.get(msg.path("id").toString());
                if (asked == null) {
                    problems.add("response to an id the other side never used");
                } else if (msg.has("error")) {
                    problems.addAll(validate("Error", msg.get("error")));
                } else if (!asked.startsWith("_")) {
                    definition(sender.other(), asked, "Response").ifPresentOrElse(
                            def -> problems.addAll(validate(def, msg.path("result"))),
                            () -> problems.add("no schema for the result of " + asked));
                }
            }
        }
        return problems;
    }

    /**
     * The definition for a method in the given role: {@code x-side} names the side that handles
     * the method, so a request from the client is looked up with side "agent".
     */
    Optional<String> definition(Side requester, String method, String kind) {
        String handler = requester.other().wire();
        for (Map.Entry<String, JsonNode> e : defs.properties()) {
            JsonNode d = e.getValue();
            String side = d.path("x-side").asText();
            if (method.equals(d.path("x-method").asText()) && e.getKey().endsWith(kind)
                    && (side.equals(handler) || side.equals("protocol"))) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** Validation messages of one value against one named definition. */
    List<String> validate(String definition, JsonNode value) {
        if (!defs.has(definition)) {
            return List.of("the schema has no definition " + definition);
        }
        JsonSchema schema = compiled.computeIfAbsent(definition, name -> {
            ObjectNode wrapper = mapper.createObjectNode();
            wrapper.set("$schema", root.get("$schema"));
            wrapper.put("$ref", "#/$defs/" + name);
            wrapper.set("$defs", defs);
            return factory.getSchema(wrapper);
        });
        Set<ValidationMessage> messages = schema.validate(value);
        return messages.stream().map(m -> definition + ": " + m.getMessage()).sorted().toList();
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
