package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.fuzz.Mutations;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Mutates the Node acpx fixture records (0.1.15 and 0.19.1) byte by byte and loads them through
 * {@link SessionStore#list()}: never fatal, each file either a record or one reported problem, and
 * every accessor of a record that loaded works (what {@code sessions list/show} call).
 */
class SessionRecordFuzzTest {

    private static final List<String> FIXTURES = List.of(
            "node-acpx-0.1.15/0db3467c-d05b-42e8-aa06-cda5ca718d3d.json",
            "node-acpx-0.1.15/e91b2426-44bb-4f63-b85d-3a1aa5d87946.json",
            "node-acpx-0.1.15/eaebf89a-aeb8-4275-9b98-553895ae8c80.json",
            "node-acpx-0.19.1/68daab5d-1086-41e7-8087-ce742fec559d.json",
            "node-acpx-0.19.1/db6dc401-acac-4f32-aca0-09d7e855d417.json",
            "node-acpx-0.19.1/e94a3fda-0518-410f-874a-2a1fda09c14a.json");

    private final Path home;

    SessionRecordFuzzTest() throws IOException {
        home = Files.createTempDirectory("acpx-record-fuzz");
    }

    @AfterProperty
    void removeHome() throws IOException {
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property
    void mutatedRecordsLoadOrAreReported(@ForAll("fixture") String fixture,
                                         @ForAll("edits") List<Mutations.Edit> edits) throws Exception {
        Path sessions = Files.createDirectories(home.resolve("acpx/sessions"));
        try (Stream<Path> old = Files.list(sessions)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        byte[] seed;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + fixture)) {
            seed = in.readAllBytes();
        }
        String name = fixture.substring(fixture.indexOf('/') + 1);
        Files.write(sessions.resolve(name), Mutations.apply(seed, edits));
        Files.write(sessions.resolve("intact-" + name), seed); // a sound neighbour must still load

        SessionStore store = new SessionStore(home.resolve("acpx"), new ObjectMapper(), Clock.systemUTC());
        LoadResult result = store.list();
        assertEquals(2, result.records().size() + result.problems().size(), result.toString());
        for (SessionRecord record : result.records()) {
            touchEverything(record);
        }
    }

    /** Regression (found by the property below): a NUL in cwd loaded, then scope() threw InvalidPathException. */
    @net.jqwik.api.Example
    void aCwdWithNulIsReportedNotLoaded() throws Exception {
        anyValueForAnyKeyLoadsOrIsReported(FIXTURES.get(0), "cwd", "\"\\u0000\"");
        LoadResult result = new SessionStore(home.resolve("acpx"), new ObjectMapper(), Clock.systemUTC()).list();
        assertEquals(1, result.problems().size(), result.toString());
        org.junit.jupiter.api.Assertions.assertTrue(result.problems().get(0).message().contains("\"cwd\" is not a valid path"),
                result.toString());
    }

    /** Whole-value swaps: each key of a real record given every kind of JSON value. */
    @Property
    void anyValueForAnyKeyLoadsOrIsReported(@ForAll("fixture") String fixture, @ForAll("keys") String key,
                                            @ForAll("values") String value) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Path sessions = Files.createDirectories(home.resolve("acpx/sessions"));
        try (Stream<Path> old = Files.list(sessions)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode json;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + fixture)) {
            json = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(in);
        }
        json.set(key, mapper.readTree(value));
        String name = fixture.substring(fixture.indexOf('/') + 1);
        Files.writeString(sessions.resolve(name), mapper.writeValueAsString(json));
        LoadResult result = new SessionStore(home.resolve("acpx"), mapper, Clock.systemUTC()).list();
        assertEquals(1, result.records().size() + result.problems().size(), result.toString());
        for (SessionRecord record : result.records()) {
            touchEverything(record);
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of("schema", "acpx_record_id", "acp_session_id", "agent_session_id", "agent_command", "cwd",
                "name", "created_at", "last_used_at", "closed", "closed_at", "pid", "agent_started_at", "last_prompt_at",
                "last_agent_exit_code", "last_agent_exit_signal", "last_agent_exit_at", "last_agent_disconnect_reason",
                "protocol_version", "agent_capabilities", "history", "turn_history", "mode", "owner_pid",
                "owner_started_at", "agent_pid_started_at", "selections", "current_mode_id", "config_options", "model",
                "messages", "event_log", "title");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("null", "true", "0", "-1", "1.5", "1e400", "99999999999999999999", "\"\"",
                "\"\\u0000\"", "\"not a time\"", "\"2025-13-45T99:99:99Z\"", "\"relative/dir\"", "[]",
                "[1,\"a\",null,{}]", "[{\"role\":7}]", "[{\"role\":\"user\",\"timestamp\":5,\"text\":[]}]",
                "{}", "{\"x\":null}", "{\"modeId\":[],\"configOptions\":7}", "\"persistent\"", "\"oneshot\"");
    }

    /** Calls every public no-argument getter, as listing, showing and status do. */
    static void touchEverything(SessionRecord record) throws IllegalAccessException {
        for (Method m : SessionRecord.class.getMethods()) {
            if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                    && m.getDeclaringClass() == SessionRecord.class && m.getReturnType() != void.class) {
                try {
                    m.invoke(record);
                } catch (InvocationTargetException e) {
                    fail("record " + record.acpxRecordId() + " loaded but " + m.getName() + "() threw "
                            + e.getCause() + "\n" + record.json(), e.getCause());
                }
            }
        }
    }

    @Provide
    Arbitrary<String> fixture() {
        return Arbitraries.of(FIXTURES);
    }

    @Provide
    Arbitrary<List<Mutations.Edit>> edits() {
        return Mutations.editLists(8);
    }
}
