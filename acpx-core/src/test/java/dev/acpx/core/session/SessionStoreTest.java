package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {

    @TempDir
    Path home;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Instant now = Instant.parse("2026-12-01T10:00:00Z");

    private SessionStore store() {
        return new SessionStore(home, mapper, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SessionScope scope(String cwd) {
        return new SessionScope("node /opt/agent.mjs", Path.of(cwd), null);
    }

    @Test
    void savesPrivatelyInTheNodeLayoutAndLoadsBack() throws IOException {
        SessionStore store = store();
        SessionRecord r = SessionRecord.create("abc", scope("/w"), SessionRecord.MODE_PERSISTENT, now);
        store.save(r);
        Path file = store.sessionsDir().resolve("abc.json");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.sessionsDir())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file);
        assertTrue(text.startsWith("{\n  \"schema\": \"acpx.session.v1\",\n  \"acpx_record_id\": \"abc\","), text);
        assertTrue(text.contains("\"messages\": [],\n"), text);
        assertTrue(text.contains("\"acpx\": {},\n"), text);
        assertTrue(text.endsWith("}\n"));
        assertEquals(r.json(), store.load("abc").orElseThrow().json());
        assertTrue(store.load("nope").isEmpty());
        assertTrue(store.delete("abc"));
        assertFalse(store.delete("abc"));
    }

    @Test
    void idsAreEncodedLikeEncodeUriComponent() {
        assertEquals("a%2Fb%20c~!*'().json", RecordFiles.fileName("a/b c~!*'()"));
        assertEquals("%C3%A9.json", RecordFiles.fileName("é"));
    }

    @Test
    void corruptFilesAmongAThousandAreReportedAndSkipped() throws IOException {
        SessionStore store = store();
        // ~2.5 KB records, the size of a real one with a short history.
        SessionRecord template = SessionRecord.create("t", scope("/w"), SessionRecord.MODE_PERSISTENT, now);
        for (int t = 0; t < 8; t++) {
            template.appendTurn(t % 2 == 0 ? HistoryEntry.Role.USER : HistoryEntry.Role.ASSISTANT,
                    "turn text ".repeat(8), now);
        }
        for (int i = 0; i < 1000; i++) {
            SessionRecord r = template.copy();
            r.json().put("acpx_record_id", "rec-" + i);
            r.setLastUsedAt(now.plusSeconds(i));
            store.save(r);
        }
        long size = Files.size(store.sessionsDir().resolve("rec-1.json"));
        assertTrue(size > 2000 && size < 3500, "record size " + size);
        Path dir = store.sessionsDir();
        Files.writeString(dir.resolve("rec-5.json"), Files.readString(dir.resolve("rec-5.json")).substring(0, 700));
        Files.writeString(dir.resolve("array.json"), "[1,2]");
        Files.writeString(dir.resolve("empty.json"), "");
        Files.writeString(dir.resolve("other.json"), "{\"schema\":\"something.else\",\"acpx_record_id\":\"other\"}");
        Files.writeString(dir.resolve("renamed.json"), Files.readString(dir.resolve("rec-7.json")));
        Files.writeString(dir.resolve("rec-9.stream.ndjson"), "{\"not\":\"a record\"}\n");
        Files.writeString(dir.resolve("index.json"), "{}");

        LoadResult all = store.list(); // warm-up (class loading, JIT)
        long start = System.nanoTime();
        all = store.list();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("list() of 1,000 x " + size + " B records: " + millis + " ms (warm)");

        assertEquals(999, all.records().size());
        assertEquals("rec-999", all.records().get(0).acpxRecordId()); // newest use first
        Set<String> bad = all.problems().stream().map(LoadResult.Problem::fileName).collect(Collectors.toSet());
        assertEquals(Set.of("rec-5.json", "array.json", "empty.json", "other.json", "renamed.json"), bad);
        String truncated = all.problems().stream().filter(p -> p.fileName().equals("rec-5.json")).findFirst()
                .orElseThrow().message();
        assertTrue(truncated.contains("not valid JSON"), truncated);
        assertThrows(CorruptRecordException.class, () -> store.load("rec-5"));
        assertTrue(millis < 2000, "listing took " + millis + " ms");
    }

    @Test
    void aCrashBetweenTempWriteAndRenameLeavesTheOldRecord() throws IOException {
        SessionStore store = store();
        SessionRecord r = SessionRecord.create("crash", scope("/w"), SessionRecord.MODE_PERSISTENT, now);
        store.save(r);
        String old = Files.readString(store.sessionsDir().resolve("crash.json"));
        // What a writer killed mid-way leaves: a complete temp file and a half-written one.
        SessionRecord newer = r.copy();
        newer.setName("renamed");
        Path full = store.sessionsDir().resolve("crash.json.1a2b3c4d.tmp");
        Files.writeString(full, mapper.writeValueAsString(newer.json()));
        Path half = store.sessionsDir().resolve("crash.json.5e6f7a8b.tmp");
        Files.write(half, mapper.writeValueAsString(newer.json()).substring(0, 40).getBytes(StandardCharsets.UTF_8));

        assertEquals(old, Files.readString(store.sessionsDir().resolve("crash.json")));
        SessionRecord loaded = store.load("crash").orElseThrow();
        assertEquals(null, loaded.name());
        LoadResult all = store.list();
        assertEquals(List.of("crash"), all.records().stream().map(SessionRecord::acpxRecordId).toList());
        assertEquals(List.of(), all.problems());
        // The next save still works and leaves no temp file of its own.
        store.save(newer);
        assertEquals("renamed", store.load("crash").orElseThrow().name());
        try (var files = Files.list(store.sessionsDir())) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".tmp")).count());
        }
    }

    @Test
    void listOfAMissingDirectoryIsEmpty() {
        LoadResult none = store().list();
        assertTrue(none.records().isEmpty() && none.problems().isEmpty());
    }
}
