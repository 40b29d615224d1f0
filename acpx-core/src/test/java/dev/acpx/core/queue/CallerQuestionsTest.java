package dev.acpx.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionMode;
import dev.acpx.api.PermissionDecision;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.PermissionRequest;
import dev.acpx.core.engine.HostStatus;
import dev.acpx.core.engine.SessionHost;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The question channel over a real owner socket: a turn's questions reach the caller whose turn it
 * is and its answers come back; a caller without a terminal is never asked; a caller that leaves
 * in the middle of a question has answered no.
 */
@Timeout(60)
class CallerQuestionsTest {
    private static final String RECORD = "rec-questions";

    @TempDir
    Path home;
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<OwnerServer> owners = new ArrayList<>();
    /** Every answer the host got, in order: "yes", "no", or "nobody" when it had no asker. */
    private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();

    /** A host whose turn asks one question per prompt word and streams "word=answer". */
    private final class AskingHost implements SessionHost {
        /** Each word is a tool call to decide: the caller says yes or no, or (no terminal) nobody can. */
        @Override
        public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events) {
            for (String word : prompt.split(" ")) {
                PermissionDecision decision = policy.decide(new PermissionRequest.ToolCall("s", word, word, "execute",
                        List.of()));
                String answer = decision instanceof PermissionDecision.Fail ? "nobody"
                        : decision instanceof PermissionDecision.Allow ? "yes" : "no";
                answers.add(answer);
                events.onEvent(new TurnEvent.AgentText(word + "=" + answer));
            }
            return new TurnResult(StopReason.END_TURN, 0, 0, "s", RECORD);
        }

        @Override
        public boolean cancelCurrent() {
            return false;
        }

        @Override
        public void setMode(String modeId) { }

        @Override
        public String setConfigOption(String key, String value) {
            return "";
        }

        @Override
        public HostStatus status() {
            return new HostStatus(null, "fake", "/", "s", null, null);
        }

        @Override
        public void close(String reason) { }
    }

    @AfterEach
    void stop() throws Exception {
        for (OwnerServer owner : owners) {
            owner.shutdown("test_end");
            owner.awaitExit(Duration.ofSeconds(10));
        }
    }

    private OwnerClient start() {
        QueuePaths paths = new QueuePaths(home);
        owners.add(OwnerServer.start(paths, RECORD, OwnerSettings.of(4, Duration.ZERO), journal -> new AskingHost(), mapper,
                Clock.systemUTC()).orElseThrow());
        return OwnerClient.connect(paths, RECORD, mapper, Duration.ofSeconds(5));
    }

    private static TurnRequest turn(String prompt, boolean callerHasTty) {
        // FAIL, so that "nobody could be asked" differs from a "no" in the answers.
        return new TurnRequest(prompt, PermissionMode.APPROVE_READS, NonInteractivePermissions.FAIL, null, callerHasTty);
    }

    @Test
    void theCallersTerminalAnswersItsTurnsQuestionsInOrder() {
        OwnerClient client = start();
        List<String> asked = new CopyOnWriteArrayList<>();
        List<TurnEvent> events = new CopyOnWriteArrayList<>();
        client.submit(OwnerClient.newRequestId(), turn("alpha beta", true), false, events::add, p -> { }, Deadline.NONE, q -> {
            asked.add(q);
            return q.contains("alpha");
        });
        assertEquals(List.of("Allow alpha? (y/N) ", "Allow beta? (y/N) "), asked);
        assertEquals(List.of(new TurnEvent.AgentText("alpha=yes"), new TurnEvent.AgentText("beta=no")), events);
    }

    @Test
    void aCallerWithoutATerminalIsNeverAsked() {
        OwnerClient client = start();
        List<TurnEvent> events = new CopyOnWriteArrayList<>();
        client.submit(OwnerClient.newRequestId(), turn("gamma", false), false, events::add, p -> { }, Deadline.NONE, q -> {
            throw new AssertionError("asked " + q);
        });
        assertEquals(List.of(new TurnEvent.AgentText("gamma=nobody")), events);
    }

    @Test
    void aCallerThatLeavesDuringAQuestionHasAnsweredNo() throws Exception {
        start();
        IpcCodec codec = new IpcCodec(mapper);
        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(new QueuePaths(home).socket(RECORD)));
            Channels.newOutputStream(raw).write((codec.encode(new IpcRequest.Submit("leaver", turn("delta", true),
                    false)) + "\n").getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(raw),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !(codec.decodeReply(line) instanceof OwnerQuestion)) {
                // accepted, then the question
            }
            assertTrue(line != null, "no question arrived");
        }
        assertEquals("no", answers.poll(20, TimeUnit.SECONDS));
    }
}
