package dev.acpx.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.core.lifecycle.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §9.5 under SIGKILL: a writer killed at any point (between temp write, fsync and rename
 * included) leaves the old record or a newer one, never a torn one, and its stray temp files are
 * ignored by every reader.
 */
class RecordCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private SessionStore store() {
        return new SessionStore(home, JSON, Clock.systemUTC());
    }

    @Test
    void aWriterKilledAtRandomMomentsNeverLeavesATornRecord() throws Exception {
        String id = UUID.randomUUID().toString();
        Random random = new Random(7);
        long lastSeen = 0;
        for (int round = 0; round < 12; round++) {
            try (ChildJvm writer = ChildJvm.start(RecordWriterMain.class, home.toString(), id)) {
                long firstSaved = Long.parseLong(writer.readLine(60)); // saving in a loop now
                Thread.sleep(random.nextInt(60));
                writer.kill();
                assertTrue(firstSaved > lastSeen, "the writer started from an older version than on disk");
            }
            LoadResult all = store().list();
            assertEquals(List.of(), all.problems(), "round " + round);
            assertEquals(1, all.records().size(), "round " + round);
            long seq = all.records().get(0).json().path("write_seq").asLong();
            assertTrue(seq >= lastSeen, "round " + round + ": the record went back from " + lastSeen + " to " + seq);
            assertEquals(seq % 97, all.records().get(0).json().path("padding").size(), "round " + round);
            lastSeen = seq;
        }
        // Whatever temp files the kills stranded are private and never read as records.
        try (Stream<Path> files = Files.list(home.resolve("sessions"))) {
            List<Path> all = files.toList();
            System.out.println("RecordCrashTest: 12 kills, last version " + lastSeen + ", stranded temp files "
                    + all.stream().filter(f -> f.toString().endsWith(".tmp")).count());
            for (Path f : all) {
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }

    @Test
    void aStrandedHalfWrittenTempFileIsIgnoredAndTheNextSaveWins() throws Exception {
        SessionStore store = store();
        SessionRecord r = SessionRecord.create(UUID.randomUUID().toString(),
                new SessionScope("node agent.mjs", Path.of("/w"), null), SessionRecord.MODE_PERSISTENT, Instant.now());
        r.json().put("write_seq", 1);
        store.save(r);
        // What a crash between the temp write and the rename leaves: the old record plus a torn .tmp.
        Path file = store.sessionsDir().resolve(RecordFiles.fileName(r.acpxRecordId()));
        String whole = Files.readString(file).replace("\"write_seq\": 1", "\"write_seq\": 2");
        Files.writeString(file.resolveSibling(file.getFileName() + ".deadbeef.tmp"), whole.substring(0, whole.length() / 2));
        Files.writeString(file.resolveSibling(file.getFileName() + ".cafef00d.tmp"), "");

        LoadResult listed = store.list();
        assertEquals(List.of(), listed.problems());
        assertEquals(1, listed.records().size());
        assertEquals(1, listed.records().get(0).json().path("write_seq").asInt());
        assertEquals(1, store.load(r.acpxRecordId()).orElseThrow().json().path("write_seq").asInt());

        r.json().put("write_seq", 3);
        store.save(r);
        assertEquals(3, store.load(r.acpxRecordId()).orElseThrow().json().path("write_seq").asInt());
        assertEquals(1, store.list().records().size());
        assertEquals(List.of(), store.list().problems());
    }
}
