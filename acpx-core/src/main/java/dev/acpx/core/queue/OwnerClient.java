package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * A caller's handle on the queue owner of one session. Each request opens its own connection, so a
 * waiting {@link #submit} and a {@link #cancel} from another thread (Ctrl+C) never share a stream.
 * Every method throws {@link OwnerRetiringException} when the owner is shutting down and did nothing
 * (connect to or start a new owner, or apply the change directly), and AcpxException otherwise.
 * Every connect and read has a deadline ({@link OwnerConnection}).
 */
public final class OwnerClient {

    /** How long a control request (status, set_mode, set_config, cancel) may take before we give up. */
    public static final Duration DEFAULT_CONTROL_TIMEOUT = Duration.ofSeconds(120);

    /** How long a live owner may take to answer a ping before it counts as stuck. */
    public static final Duration PING_WAIT = Duration.ofSeconds(5);

    /** The ping answer's prefix; the build id follows, so callers of another build can tell. */
    static final String PONG = "pong protocol=";

    /** What an owner of this build answers to a ping: its queue protocol version and build id. */
    static String pong() {
        return PONG + IpcCodec.PROTOCOL_VERSION + " build=" + dev.acpx.api.AcpxVersion.buildId();
    }

    /** What a ping found on the session's socket. */
    public enum Probe {
        /** An owner of this build answered and serves. */
        SERVING,
        /** An owner answered, but it runs another build: retire it, start ours. */
        OTHER_BUILD,
        /** The owner is shutting down: wait for it to go, then start a new one. */
        RETIRING,
        /** Nobody listens (no socket, or the connection was refused or dropped). */
        ABSENT,
        /** Connected, but no answer in time: a stopped or wedged owner. */
        SILENT
    }

    private final String recordId;
    private final Path socket;
    private final IpcCodec codec;
    private final Duration controlTimeout;

    public OwnerClient(QueuePaths paths, String recordId, ObjectMapper mapper) {
        this(paths, recordId, mapper, DEFAULT_CONTROL_TIMEOUT);
    }

    public OwnerClient(QueuePaths paths, String recordId, ObjectMapper mapper, Duration controlTimeout) {
        this(paths.socket(recordId), recordId, new IpcCodec(mapper), controlTimeout);
    }

    private OwnerClient(Path socket, String recordId, IpcCodec codec, Duration controlTimeout) {
        this.recordId = recordId;
        this.socket = socket;
        this.codec = codec;
        this.controlTimeout = controlTimeout;
    }

    /**
     * Connects to a running owner, retrying until {@code deadline} passes (an owner may be binding).
     * Fails with RUNTIME naming the socket when none answered.
     */
    public static OwnerClient connect(QueuePaths paths, String recordId, ObjectMapper mapper, Duration deadline) {
        OwnerClient client = new OwnerClient(paths, recordId, mapper);
        long end = System.nanoTime() + deadline.toNanos();
        long pause = 5;
        while (!client.ping()) {
            if (System.nanoTime() >= end) {
                throw new AcpxException(ErrorKind.RUNTIME, "no queue owner answered for session " + recordId
                        + " on " + client.socket + " within " + deadline.toMillis() + " ms; run the prompt again"
                        + " to start one, or check " + paths.log(recordId));
            }
            sleep(pause);
            pause = Math.min(pause * 2, 50);
        }
        return client;
    }

    /** The session this client talks to. */
    public String recordId() {
        return recordId;
    }

    /** True when an owner of this build answers on the socket and is not shutting down. */
    public boolean ping() {
        return probe(Deadline.after(PING_WAIT)) == Probe.SERVING;
    }

    /** Asks the owner whether it serves, waiting for its answer until {@code deadline}. */
    public Probe probe(Deadline deadline) {
        OwnerConnection c;
        try {
            c = open(deadline);
        } catch (IOException e) {
            return Probe.ABSENT;
        }
        try (c) {
            c.send(new IpcRequest.Ping());
            IpcReply reply = c.next(deadline);
            if (reply instanceof IpcReply.Ok ok) {
                return ok.message() != null && ok.message().equals(pong())
                        ? Probe.SERVING : Probe.OTHER_BUILD;
            }
            if (reply instanceof IpcReply.Error e && e.retryable()) {
                return Probe.RETIRING;
            }
            return reply == null ? Probe.ABSENT : Probe.OTHER_BUILD;
        } catch (AcpxException e) {
            return e.kind() == ErrorKind.TIMEOUT ? Probe.SILENT
                    : e.getMessage().contains("another acpx version") ? Probe.OTHER_BUILD : Probe.ABSENT;
        } catch (IOException e) {
            return c.timedOut() ? Probe.SILENT : Probe.ABSENT;
        }
    }

    /** A fresh request id, for callers that want to {@link #cancel(String)} their own turn later. */
    public static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /** Submits a turn with a fresh request id; see {@link #submit(String, TurnRequest, boolean, TurnListener)}. */
    public TurnResult submit(TurnRequest turn, boolean noWait, TurnListener events) {
        return submit(newRequestId(), turn, noWait, events);
    }

    /**
     * Queues a turn and, unless {@code noWait}, streams its events to {@code events} until it ends.
     * Returns the result, or null with {@code noWait} once the owner accepted the turn.
     *
     * @throws OwnerRetiringException the owner is retiring and did not take the turn (retry)
     * @throws AcpxException          the turn failed, the queue is full, or the owner died mid-turn
     */
    public TurnResult submit(String requestId, TurnRequest turn, boolean noWait, TurnListener events) {
        return submit(requestId, turn, noWait, events, position -> { }, Deadline.NONE);
    }

    /** As {@link #submit(String, TurnRequest, boolean, TurnListener, IntConsumer, Deadline)} with no deadline. */
    public TurnResult submit(String requestId, TurnRequest turn, boolean noWait, TurnListener events,
                             IntConsumer onAccepted) {
        return submit(requestId, turn, noWait, events, onAccepted, Deadline.NONE);
    }

    /**
     * As {@link #submit(String, TurnRequest, boolean, TurnListener)}, telling {@code onAccepted} how many
     * turns run before this one as soon as the owner queued it (for "waiting behind N turns" notes).
     * The whole wait (connect, queue, turn) ends at {@code deadline}: the turn is then cancelled on
     * the owner, as far as it still answers, and TIMEOUT thrown, whatever the owner does.
     */
    public TurnResult submit(String requestId, TurnRequest turn, boolean noWait, TurnListener events,
                             IntConsumer onAccepted, Deadline deadline) {
        return submit(requestId, turn, noWait, events, onAccepted, deadline, null);
    }

    /**
     * As {@link #submit(String, TurnRequest, boolean, TurnListener, IntConsumer, Deadline)}, answering
     * the owner's questions about this turn with {@code asker} (null: every question is answered no).
     */
    public TurnResult submit(String requestId, TurnRequest turn, boolean noWait, TurnListener events,
                             IntConsumer onAccepted, Deadline deadline, PermissionPolicies.Prompter asker) {
        boolean accepted = false;
        OwnerConnection c = openForSubmit(deadline);
        try (c) {
            c.send(new IpcRequest.Submit(requestId, turn, noWait));
            while (true) {
                IpcReply reply = c.next(deadline);
                if (reply == null) {
                    throw accepted ? lostDuringTurn("it closed the connection") : new OwnerRetiringException(
                            "the queue owner for session " + recordId + " closed the connection before accepting the turn");
                }
                switch (reply) {
                    case IpcReply.Accepted a -> {
                        accepted = true;
                        onAccepted.accept(a.position());
                        if (noWait) {
                            return null;
                        }
                    }
                    case IpcReply.Event e -> events.onEvent(IpcEvents.toApi(e.event()));
                    case IpcReply.Done d -> {
                        return IpcEvents.toApi(d.result());
                    }
                    case IpcReply.Error e -> throw failure(e, accepted);
                    case IpcReply.StatusReply s -> throw unexpected(s);
                    case IpcReply.Ok o -> throw unexpected(o);
                    case OwnerQuestion q -> c.send(new CallerAnswer(q.questionId(), answer(q, asker)));
                }
            }
        } catch (LineChannel.LineTooLongException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "the queue owner for session " + recordId + " sent "
                    + e.getMessage().replaceFirst("^a queue message", "a message that") + "; is it another acpx version?");
        } catch (AcpxException e) {
            if (e.kind() == ErrorKind.TIMEOUT && accepted) {
                cancelQuietly(requestId, CANCEL_ON_TIMEOUT);
            }
            throw e;
        } catch (java.nio.channels.ClosedByInterruptException e) {
            // The caller's thread was interrupted: its own turn (only that one) is cancelled.
            Thread.interrupted(); // cleared for the cancel's own socket, set again below
            if (accepted) {
                cancelQuietly(requestId, CANCEL_ON_INTERRUPT);
            }
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while waiting for the turn of session "
                    + recordId + (accepted ? "; the turn was cancelled" : ""), null, e);
        } catch (IOException e) {
            if (c.timedOut()) {
                if (accepted) {
                    cancelQuietly(requestId, CANCEL_ON_TIMEOUT);
                }
                throw timedOut();
            }
            if (accepted) {
                throw lostDuringTurn("reading from it failed: " + e.getMessage());
            }
            throw new OwnerRetiringException("the queue owner for session " + recordId + " did not take the turn: "
                    + e.getMessage());
        }
    }

    private static String answer(OwnerQuestion question, PermissionPolicies.Prompter asker) {
        if (asker != null && OwnerQuestion.LINE.equals(question.kind())) {
            return asker.answer(question.text());
        }
        if (asker == null || !OwnerQuestion.CONFIRM.equals(question.kind())) {
            return CallerAnswer.NO;
        }
        return asker.confirm(question.text()) ? CallerAnswer.YES : CallerAnswer.NO;
    }

    /** Cancels the running turn; false means "nothing to cancel". */
    public boolean cancel() {
        return cancel(null);
    }

    /** Cancels the turn {@code requestId} whether it waits or runs; false when it is neither. */
    public boolean cancel(String requestId) {
        return ((IpcReply.Ok) control(new IpcRequest.Cancel(requestId))).applied();
    }

    public OwnerStatus status() {
        return ((IpcReply.StatusReply) control(new IpcRequest.Status())).status();
    }

    public void setMode(String modeId) {
        control(new IpcRequest.SetMode(modeId));
    }

    /** Sets a config option through the owner; returns the host's summary of the change. */
    public String setConfig(String key, String value) {
        return ((IpcReply.Ok) control(new IpcRequest.SetConfig(key, value))).message();
    }

    /**
     * The caller gave up waiting, so the owner should not run the turn for nobody: cancels
     * {@code requestId} on the owner (best effort), trying again until {@code window} has passed: the owner
     * may be slow to answer on a loaded machine, and a lost cancel lets the turn run to its end.
     */
    private void cancelQuietly(String requestId, Duration window) {
        Deadline end = Deadline.after(window);
        while (true) {
            try {
                new OwnerClient(socket, recordId, codec, end.remaining()).cancel(requestId);
                return;
            } catch (RuntimeException e) {
                // the owner is stuck or gone; the caller's outcome is reported either way
            }
            if (end.passed() || end.remaining().toMillis() < 50) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final Duration CANCEL_ON_TIMEOUT = Duration.ofSeconds(1);
    /** An interrupted caller waits longer for its cancel: nothing else would end the turn. */
    private static final Duration CANCEL_ON_INTERRUPT = Duration.ofSeconds(5);

    private AcpxException timedOut() {
        return new AcpxException(ErrorKind.TIMEOUT, "timed out waiting for the queue owner of session " + recordId
                + " (the prompt's --timeout passed); its turn was cancelled where the owner still answers");
    }

    private IpcReply control(IpcRequest request) {
        Deadline deadline = Deadline.after(controlTimeout);
        OwnerConnection c;
        try {
            c = open(deadline);
        } catch (IOException e) {
            throw new AcpxException(ErrorKind.RUNTIME, "cannot reach the queue owner for session " + recordId + " on "
                    + socket + ": " + e.getMessage() + "; run the command again", null, e);
        }
        try (c) {
            c.send(request);
            IpcReply reply = c.next(deadline);
            if (reply == null) {
                throw new AcpxException(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                        + " exited before answering; run the command again");
            }
            if (reply instanceof IpcReply.Error e) {
                throw failure(e, false);
            }
            boolean expected = request instanceof IpcRequest.Status ? reply instanceof IpcReply.StatusReply
                    : reply instanceof IpcReply.Ok;
            if (!expected) {
                throw unexpected(reply);
            }
            return reply;
        } catch (IOException e) {
            if (c.timedOut()) {
                throw new AcpxException(ErrorKind.TIMEOUT, "the queue owner for session " + recordId
                        + " did not answer within " + controlTimeout.toMillis() + " ms; check " + socket, null, e);
            }
            throw new AcpxException(ErrorKind.RUNTIME, "cannot reach the queue owner for session " + recordId + " on "
                    + socket + ": " + e.getMessage() + "; run the command again", null, e);
        }
    }

    private RuntimeException failure(IpcReply.Error e, boolean accepted) {
        if (e.retryable() && !accepted) {
            return new OwnerRetiringException(e.message());
        }
        return new AcpxException(e.kind(), e.message());
    }

    /**
     * The connection ended before the turn's last reply. Says what happened: the owner died, or it
     * still runs (then the turn goes on there, and this caller only lost its view of it).
     */
    private AcpxException lostDuringTurn(String how) {
        if (ping()) {
            return new AcpxException(ErrorKind.RUNTIME, "lost the connection to the queue owner for session "
                    + recordId + " during the turn (" + how + "); the owner is still running and the turn goes on"
                    + " there: see `acpx sessions history` for its answer");
        }
        return diedDuringTurn();
    }

    private AcpxException diedDuringTurn() {
        return new AcpxException(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                + " exited during the turn; its agent was stopped, and the next prompt starts a new owner"
                + " (see " + socket.resolveSibling(QueuePaths.key(recordId) + ".log") + ")");
    }

    private AcpxException unexpected(IpcReply reply) {
        return new AcpxException(ErrorKind.RUNTIME, "the queue owner for session " + recordId
                + " sent an unexpected " + reply.getClass().getSimpleName() + " reply; is it another acpx version?");
    }

    private OwnerConnection open(Deadline deadline) throws IOException {
        return OwnerConnection.open(socket, deadline, codec, recordId);
    }

    private OwnerConnection openForSubmit(Deadline deadline) {
        try {
            return open(deadline);
        } catch (IOException e) {
            if (deadline.passed()) {
                throw timedOut();
            }
            throw new OwnerRetiringException("no queue owner answers for session " + recordId + " on " + socket
                    + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while waiting for the queue owner");
        }
    }
}
