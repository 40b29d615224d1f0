package dev.acpx.core.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JsonRpcPeerTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private SocketPair sockets;

    private final PeerListener recording = new PeerListener() {
        @Override
        public void onMessage(Direction direction, String rawLine) {
            seen.add(direction + " " + rawLine);
        }

        @Override
        public void onProblem(String description) {
            problems.add(description);
        }
    };

    @BeforeEach
    void open() throws IOException {
        sockets = SocketPair.open();
        toClose.add(sockets);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private JsonRpcPeer peer(java.net.Socket socket, PeerListener listener, int max) throws IOException {
        JsonRpcPeer peer = new JsonRpcPeer(socket.getInputStream(), socket.getOutputStream(), mapper, listener, max);
        toClose.add(peer);
        return peer;
    }

    private static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static Throwable failure(CompletableFuture<?> future) throws InterruptedException, TimeoutException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail");
    }

    /** Raw NDJSON access to the right-hand socket, to play a misbehaving peer. */
    private final class Raw {
        final BufferedReader reader;
        final OutputStream out;

        Raw() throws IOException {
            reader = new BufferedReader(new InputStreamReader(sockets.right().getInputStream(), StandardCharsets.UTF_8));
            out = sockets.right().getOutputStream();
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        JsonNode read() throws IOException {
            return mapper.readTree(reader.readLine());
        }
    }

    @Test
    void requestsAndResponsesFlowBothWays() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), recording, 1 << 20);
        JsonRpcPeer b = peer(sockets.right(), null, 1 << 20);
        b.onRequest("add", p -> JsonNodeFactory.instance.numberNode(p.get("x").asInt() + p.get("y").asInt()));
        a.onRequest("greet", p -> TextNode.valueOf("hello " + p.get("name").asText()));
        a.start();
        b.start();

        assertEquals(5, a.request("add", obj().put("x", 2).put("y", 3)).get(10, TimeUnit.SECONDS).asInt());
        assertEquals("hello b", b.request("greet", obj().put("name", "b")).get(10, TimeUnit.SECONDS).asText());
        assertTrue(seen.contains("OUT {\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"add\",\"params\":{\"x\":2,\"y\":3}}"), seen.toString());
        assertTrue(seen.contains("IN {\"jsonrpc\":\"2.0\",\"id\":0,\"result\":5}"), seen.toString());
        assertEquals(List.of(), problems);
    }

    @Test
    void errorsUnknownMethodsAndCrashingHandlersBecomeErrorResponses() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), null, 1 << 20);
        JsonRpcPeer b = peer(sockets.right(), null, 1 << 20);
        b.onRequest("refuse", p -> {
            throw new JsonRpcException(-32002, "no such thing", TextNode.valueOf("detail"));
        });
        b.onRequest("crash", p -> {
            throw new IllegalStateException("boom");
        });
        a.start();
        b.start();

        JsonRpcException refused = assertInstanceOf(JsonRpcException.class, failure(a.request("refuse", null)));
        assertEquals(-32002, refused.code());
        assertEquals("no such thing", refused.getMessage());
        assertEquals("detail", refused.data().asText());

        JsonRpcException missing = assertInstanceOf(JsonRpcException.class, failure(a.request("nope", obj())));
        assertEquals(JsonRpcException.METHOD_NOT_FOUND, missing.code());
        assertEquals("Method not found", missing.getMessage());

        JsonRpcException crashed = assertInstanceOf(JsonRpcException.class, failure(a.request("crash", obj())));
        assertEquals(JsonRpcException.INTERNAL_ERROR, crashed.code());
        assertTrue(crashed.getMessage().contains("boom"), crashed.getMessage());
    }

    @Test
    void everyNotificationBeforeAResponseIsHandledWhenItsFutureCompletes() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), null, 1 << 20);
        JsonRpcPeer b = peer(sockets.right(), null, 1 << 20);
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        a.onNotification("tick", p -> {
            if (p.get("n").asInt() % 10 == 0) {
                Thread.sleep(2); // a slow handler would lose the race if dispatch were asynchronous
            }
            received.add(p.get("n").asInt());
        });
        b.onRequest("run", p -> {
            int n = p.get("n").asInt();
            for (int i = 0; i < n; i++) {
                b.notify("tick", obj().put("n", i));
            }
            return TextNode.valueOf("done");
        });
        a.start();
        b.start();
        for (int round = 0; round < 5; round++) {
            received.clear();
            a.request("run", obj().put("n", 200)).get(10, TimeUnit.SECONDS);
            assertEquals(200, received.size());
            for (int i = 0; i < 200; i++) {
                assertEquals(i, received.get(i));
            }
        }
    }

    @Test
    void malformedInputIsReportedAndTheReaderGoesOn() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), recording, 1 << 20);
        a.onRequest("ping", p -> TextNode.valueOf("pong"));
        a.start();
        Raw raw = new Raw();
        raw.send("this is not json");
        raw.send("[]");
        raw.send("{}");
        raw.send("{\"id\":5,\"method\":\"ping\"}");
        raw.send("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":1}");
        raw.send("{\"jsonrpc\":\"2.0\",\"method\":\"unknown/notification\"}");
        raw.send("x".repeat(10 << 20)); // 10 MiB line against a 1 MiB limit
        raw.send("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"ping\"}");
        JsonNode pong = raw.read();
        assertEquals("abc", pong.get("id").asText());
        assertEquals("pong", pong.get("result").asText());

        // A duplicate response: the first completes the request, the second is reported.
        CompletableFuture<JsonNode> asked = a.request("question", null);
        JsonNode question = raw.read();
        long id = question.get("id").asLong();
        raw.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":42}");
        raw.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":43}");
        assertEquals(42, asked.get(10, TimeUnit.SECONDS).asInt());
        raw.send("{\"jsonrpc\":\"2.0\",\"id\":\"sync\",\"method\":\"ping\"}");
        assertEquals("sync", raw.read().get("id").asText());

        assertEquals(8, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("invalid JSON"), problems.get(0));
        assertTrue(problems.get(1).startsWith("JSON-RPC message is not an object"), problems.get(1));
        assertTrue(problems.get(2).contains("jsonrpc"), problems.get(2));
        assertTrue(problems.get(3).contains("jsonrpc"), problems.get(3));
        assertTrue(problems.get(4).startsWith("response to unknown id 999"), problems.get(4));
        assertTrue(problems.get(5).contains("unknown/notification"), problems.get(5));
        assertTrue(problems.get(6).contains((10 << 20) + " bytes"), problems.get(6));
        assertTrue(problems.get(7).startsWith("duplicate or late response for id " + id), problems.get(7));
    }

    @Test
    void invalidUtf8ArrivesWithReplacementCharacters() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), recording, 1 << 20);
        CompletableFuture<String> got = new CompletableFuture<>();
        a.onNotification("note", p -> got.complete(p.get("t").asText()));
        a.start();
        OutputStream out = sockets.right().getOutputStream();
        out.write("{\"jsonrpc\":\"2.0\",\"method\":\"note\",\"params\":{\"t\":\"a".getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {(byte) 0xff, (byte) 0xfe});
        out.write(" b\"}}\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertEquals("a\uFFFD\uFFFD b", got.get(10, TimeUnit.SECONDS));
    }

    @Test
    void endOfInputFailsPendingRequestsAndLaterOnes() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), null, 1 << 20);
        a.start();
        Raw raw = new Raw();
        CompletableFuture<JsonNode> first = a.request("slow", null);
        CompletableFuture<JsonNode> second = a.request("slow", null);
        raw.read();
        raw.read();
        sockets.right().shutdownOutput();
        assertInstanceOf(PeerClosedException.class, failure(first));
        assertInstanceOf(PeerClosedException.class, failure(second));
        a.closed().get(10, TimeUnit.SECONDS);
        assertInstanceOf(PeerClosedException.class, failure(a.request("after", null)));
    }

    @Test
    void closeFailsPendingAndLaterWritesWithPeerClosed() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), null, 1 << 20);
        a.start();
        CompletableFuture<JsonNode> pending = a.request("never", null);
        a.close();
        assertInstanceOf(PeerClosedException.class, failure(pending));
        assertThrows(PeerClosedException.class, () -> a.notify("x", null));
        a.closed().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPeerThatStopsReadingBlocksNeitherTheCallerNorClose() throws Exception {
        // A real pipe (64 KiB in the kernel) to a process that never reads it, like a frozen agent.
        Process deaf = new ProcessBuilder("sleep", "60").start();
        try {
            JsonRpcPeer a = new JsonRpcPeer(deaf.getInputStream(), deaf.getOutputStream(), mapper, null, 1 << 20);
            toClose.add(a);
            a.start();
            ObjectNode big = obj().put("text", "x".repeat(256 * 1024));
            CompletableFuture<JsonNode> stuck = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> a.request("big", big), "a request returns while its bytes cannot be written");
            CompletableFuture<JsonNode> behind = a.request("behind", null);
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), a::close, "close does not wait for the writer");
            assertInstanceOf(PeerClosedException.class, failure(stuck));
            assertInstanceOf(PeerClosedException.class, failure(behind));
        } finally {
            deaf.destroyForcibly();
        }
    }

    @Test
    void aBrokenOutputFailsTheCallNotTheThread() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        JsonRpcPeer a = new JsonRpcPeer(new java.io.PipedInputStream(), broken, mapper, null, 1024);
        toClose.add(a);
        assertInstanceOf(PeerClosedException.class, failure(a.request("x", null)));
        PeerClosedException e = assertThrows(PeerClosedException.class, () -> a.notify("y", null));
        assertTrue(e.getMessage().contains("Broken pipe"), e.getMessage());
    }

    @Test
    void cancelRequestInterruptsTheRemoteHandler() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), null, 1 << 20);
        JsonRpcPeer b = peer(sockets.right(), null, 1 << 20);
        CountDownLatch started = new CountDownLatch(1);
        b.onRequest("block", p -> {
            started.countDown();
            new CountDownLatch(1).await();
            return null;
        });
        a.start();
        b.start();
        Outgoing call = a.send("block", null);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        a.cancelRequest(call.id());
        JsonRpcException e = assertInstanceOf(JsonRpcException.class, failure(call.result()));
        assertEquals(JsonRpcException.REQUEST_CANCELLED, e.code());
    }

    @Test
    void manyThreadsCanRequestAtOnce() throws Exception {
        JsonRpcPeer a = peer(sockets.left(), null, 1 << 20);
        JsonRpcPeer b = peer(sockets.right(), null, 1 << 20);
        b.onRequest("echo", p -> p);
        a.start();
        b.start();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        for (int t = 0; t < 32; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        ObjectNode params = obj().put("t", thread).put("i", i);
                        assertEquals(params, a.request("echo", params).get(10, TimeUnit.SECONDS));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void listenerSeesAnInputLineEvenWhenItIsGarbage() throws Exception {
        JsonRpcPeer a = new JsonRpcPeer(
                new ByteArrayInputStream("garbage\n".getBytes(StandardCharsets.UTF_8)), OutputStream.nullOutputStream(),
                mapper, recording, 1024);
        toClose.add(a);
        a.start();
        a.closed().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("IN garbage"), seen);
        assertEquals(1, problems.size());
    }
}
