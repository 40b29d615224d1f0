package dev.acpx.e2e;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile agent's stdout and its few JSON needs, without any library: it runs as
 * {@code java -cp <test-classes>}, where Jackson is not on the class path. Only the fields
 * it needs are picked out of incoming lines; outgoing JSON is written by hand.
 */
final class HostileWire {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(-?\\d+|\"(?:[^\"\\\\]|\\\\.)*\")");
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]*)\"");

    private final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    /** The raw id token of a message ({@code 7} or {@code "a"}), or null for a notification. */
    /** A test agent never outlives its test run: it halts after {@code seconds} whatever happens. */
    static void haltAfter(long seconds) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(java.util.concurrent.TimeUnit.SECONDS.toMillis(seconds));
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(0);
        }, "lifetime");
        t.setDaemon(true);
        t.start();
    }

    static String id(String line) {
        Matcher m = ID.matcher(line);
        return m.find() ? m.group(1) : null;
    }

    static String method(String line) {
        Matcher m = METHOD.matcher(line);
        return m.find() ? m.group(1) : null;
    }

    /** The string value of a top-level-ish field, or null: good enough for cwd and sessionId. */
    static String string(String line, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        return m.find() ? m.group(1).replace("\\/", "/").replace("\\\\", "\\") : null;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Writes raw bytes; the line discipline is the caller's (that is the point of some modes). */
    synchronized void raw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    synchronized void flush() throws IOException {
        out.flush();
    }

    synchronized void line(String json) throws IOException {
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.flush();
    }

    void result(String id, String resultJson) throws IOException {
        line("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + resultJson + "}");
    }

    void error(String id, int code, String message) throws IOException {
        line("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":" + code + ",\"message\":" + quote(message)
                + "}}");
    }

    void update(String sessionId, String updateJson) throws IOException {
        line("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":" + quote(sessionId)
                + ",\"update\":" + updateJson + "}}");
    }

    void chunk(String sessionId, String text) throws IOException {
        update(sessionId, "{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":"
                + quote(text) + "}}");
    }

    /** Sends a request to the client; the future completes with the whole response line. */
    CompletableFuture<String> request(String method, String paramsJson) throws IOException {
        String id = Long.toString(nextId.getAndIncrement());
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(id, answer);
        line("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":" + quote(method) + ",\"params\":" + paramsJson + "}");
        return answer;
    }

    /** Routes a response line from the client to the request waiting for it; false if none was. */
    boolean answer(String id, String line) {
        CompletableFuture<String> f = pending.remove(id);
        return f != null && f.complete(line);
    }

    /** Closes file descriptor 1 for real, so the client sees end of file while we live on. */
    synchronized void closeStdout() throws IOException {
        out.flush();
        out.close();
        System.out.close();
    }
}
