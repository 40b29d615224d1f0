package dev.acpx.core.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.acpx.core.jsonrpc.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's cost of a 500-update turn (the mock agent's {@code stream 500}, its real line
 * shape): bytes written and the time the writer adds on the connection's threads, measured after a
 * warm-up turn. The figures are printed for RELIABILITY.md, never asserted (shared machines).
 */
class JournalCostTest {
    @TempDir
    Path tmp;

    @Test
    void aFiveHundredUpdateTurn() throws Exception {
        JournalFixture f = new JournalFixture(tmp, null, null);
        JournalWriter w = f.writer();
        turn(w, "warm-up");
        long before = Files.size(f.files().active());
        long start = System.nanoTime();
        turn(w, "measured");
        long nanos = System.nanoTime() - start;
        long bytes = Files.size(f.files().active()) - before;
        w.close();
        assertEquals(2 * 504, f.all().size(), "every line of both turns is journaled");
        System.out.printf("journal cost of a 500-update turn: %d bytes, %.1f ms (%.1f us per line)%n",
                bytes, nanos / 1e6, nanos / 1e3 / 504);
    }

    private static void turn(JournalWriter w, String id) {
        w.turnStarted(id);
        w.message(Direction.OUT, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"session/prompt\",\"params\":{\"sessionId\":"
                + "\"5eb40b69-dfd0-4fd2-bbe4-b59f1b91a370\",\"prompt\":[{\"type\":\"text\",\"text\":\"stream 500\"}]}}");
        for (int i = 0; i < 500; i++) {
            w.message(Direction.IN, "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":"
                    + "\"5eb40b69-dfd0-4fd2-bbe4-b59f1b91a370\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\","
                    + "\"content\":{\"type\":\"text\",\"text\":\"chunk " + i + " \"}}}}");
        }
        w.message(Direction.IN, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"stopReason\":\"end_turn\"}}");
        w.turnResult(id, new TurnOutcome.Stopped("end_turn"));
    }
}
