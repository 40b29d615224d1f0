package dev.acpx.core.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.acpx.core.fuzz.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Feeds a real {@link JsonRpcPeer} arbitrary and mutated lines. Whatever arrives: nothing escapes
 * the reader thread, the connection ends when the input ends (never hangs), the request we sent is
 * settled, every unparsable line is reported, and everything we write back is one valid JSON-RPC
 * object per line.
 */
class JsonRpcPeerFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final List<String> SEEDS = List.of(
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"stopReason\":\"end_turn\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"error\":{\"code\":-32603,\"message\":\"boom\",\"data\":[1]}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"s\",\"update\":{}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"fs/read_text_file\",\"params\":{\"path\":\"a\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"unknown/method\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancel_request\",\"params\":{\"requestId\":7}}");

    @Property
    void survivesAnyTraffic(@ForAll("traffic") List<String> lines) throws Exception {
        List<String> problems = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (String line : lines) {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        JsonRpcPeer peer = new JsonRpcPeer(new ByteArrayInputStream(in.toByteArray()), out, MAPPER,
                new PeerListener() {
                    @Override
                    public void onProblem(String description) {
                        problems.add(description);
                    }
                }, 1 << 20);
        peer.onNotification("session/update", params -> { });
        peer.onRequest("fs/read_text_file", params -> JsonNodeFactory.instance.objectNode().put("content", ""));
        CompletableFuture<JsonNode> answer = peer.request("session/prompt", null);
        peer.start();

        peer.closed().get(10, TimeUnit.SECONDS); // input ended: the connection must end too
        try {
            answer.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            assertTrue(cause instanceof JsonRpcException || cause instanceof PeerClosedException, cause.toString());
        }
        long unparsable = lines.stream().filter(l -> !l.isBlank() && !parses(l)).count();
        long reported = problems.stream().filter(p -> p.startsWith("invalid JSON from peer")).count();
        assertEquals(unparsable, reported, "one report per unparsable line: " + problems);
        assertTrue(problems.stream().noneMatch(p -> p.contains("unexpected error")), problems.toString());
        peer.close();
        // Requests still being served may answer after close; their writes are refused, not torn.
        for (String written : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!written.isEmpty()) {
                assertEquals("2.0", MAPPER.readTree(written).path("jsonrpc").asText(), written);
            }
        }
    }

    private static boolean parses(String line) {
        try {
            MAPPER.readTree(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<List<String>> traffic() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        Arbitrary<String> mutated = Arbitraries.of(SEEDS).flatMap(s -> Mutations.editLists(6)
                .map(edits -> new String(Mutations.apply(s.getBytes(StandardCharsets.UTF_8), edits),
                        StandardCharsets.UTF_8)));
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(80);
        Arbitrary<String> deep = Arbitraries.integers().between(400, 3000)
                .map(n -> "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":" + "[".repeat(n) + "]".repeat(n) + "}");
        return Arbitraries.oneOf(seed, mutated, mutated, random, deep)
                .map(s -> s.replace("\n", "")).list().ofMaxSize(12);
    }

    /** Regression: an Error on the reader thread (a line too big for the heap) ended it silently; requests hung. */
    @Example
    void anErrorWhileReadingEndsTheConnectionWithAReason() throws Exception {
        List<String> problems = new ArrayList<>();
        InputStream exhausted = new InputStream() {
            @Override
            public int read() {
                throw new OutOfMemoryError("Java heap space");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        JsonRpcPeer peer = new JsonRpcPeer(exhausted, new ByteArrayOutputStream(), MAPPER, new PeerListener() {
            @Override
            public void onProblem(String description) {
                problems.add(description);
            }
        }, 1 << 20);
        CompletableFuture<JsonNode> answer = peer.request("session/prompt", null);
        peer.start();
        try {
            answer.get(10, TimeUnit.SECONDS);
            fail("the request cannot succeed");
        } catch (ExecutionException e) {
            PeerClosedException closed = assertInstanceOf(PeerClosedException.class, e.getCause());
            assertTrue(closed.getMessage().contains("ran out of memory"), closed.getMessage());
            assertTrue(!closed.getMessage().endsWith(JsonRpcPeer.END_OF_INPUT));
        } catch (TimeoutException e) {
            fail("the pending request hung after the reader thread died");
        }
        assertEquals(1, problems.size(), problems.toString());
    }
}
