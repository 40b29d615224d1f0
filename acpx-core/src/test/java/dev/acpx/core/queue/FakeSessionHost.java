package dev.acpx.core.queue;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.StopReason;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.core.engine.HostStatus;
import dev.acpx.core.engine.SessionHost;
import java.time.Duration;
import dev.acpx.api.TurnResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory session host: each turn echoes the prompt's words as AgentText events, then sleeps
 * {@code turnMillis} (cut short by cancel or close). Records what ran, in order, and checks that
 * turns never overlap.
 */
public final class FakeSessionHost implements SessionHost {

    final List<String> prompts = new CopyOnWriteArrayList<>();
    final List<String> modes = new CopyOnWriteArrayList<>();
    final AtomicInteger overlaps = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile String closeReason;
    volatile CountDownLatch turnStarted = new CountDownLatch(1);
    private final long turnMillis;
    private final AtomicInteger active = new AtomicInteger();
    private final Object signal = new Object();
    private volatile boolean cancelRequested;
    private volatile Consumer<TurnListener> extraEvents = l -> { };

    FakeSessionHost(long turnMillis) {
        this.turnMillis = turnMillis;
    }

    /** Extra events each turn emits before finishing (e.g. a flood for a caller that does not read). */
    FakeSessionHost withExtraEvents(Consumer<TurnListener> extra) {
        this.extraEvents = extra;
        return this;
    }

    @Override
    public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events) {
        if (closeReason != null) {
            throw new AcpxException(ErrorKind.RUNTIME, "host closed: " + closeReason);
        }
        if (active.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        try {
            prompts.add(prompt);
            cancelRequested = false;
            turnStarted.countDown();
            for (String word : prompt.split(" ")) {
                events.onEvent(new TurnEvent.AgentText(word));
            }
            extraEvents.accept(events);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(turnMillis);
            synchronized (signal) {
                while (!cancelRequested && closeReason == null && System.nanoTime() < end) {
                    try {
                        signal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            if (closeReason != null) {
                throw new AcpxException(ErrorKind.RUNTIME, "agent stopped: " + closeReason);
            }
            StopReason stop = cancelRequested ? StopReason.CANCELLED : StopReason.END_TURN;
            events.onEvent(new TurnEvent.Done(stop));
            return new TurnResult(stop, 0, 0, "acp-1", "rec");
        } finally {
            active.decrementAndGet();
        }
    }

    @Override
    public boolean cancelCurrent() {
        if (active.get() == 0) {
            return false;
        }
        synchronized (signal) {
            cancelRequested = true;
            signal.notifyAll();
        }
        return true;
    }

    @Override
    public void setMode(String modeId) {
        if (modeId.equals("bogus")) {
            throw new AcpxException(ErrorKind.USAGE, "unknown mode bogus; the agent offers: ask, code");
        }
        modes.add(modeId);
    }

    @Override
    public String setConfigOption(String key, String value) {
        return key + " set to " + value;
    }

    @Override
    public HostStatus status() {
        return new HostStatus(4242L, "fake-agent", "/work", "acp-1", null, modes.isEmpty() ? null : modes.getLast());
    }

    @Override
    public void close(String reason) {
        synchronized (signal) {
            closeReason = reason;
            signal.notifyAll();
        }
        closed.countDown();
    }
}
