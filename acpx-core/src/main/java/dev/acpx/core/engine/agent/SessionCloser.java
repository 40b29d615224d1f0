package dev.acpx.core.engine.agent;

import dev.acpx.core.acp.AcpClientConnection;
import dev.acpx.core.protocol.InitializeResponse;
import java.time.Duration;

/**
 * ACP 2026 {@code session/close}: before acpx stops an agent that advertises
 * {@code sessionCapabilities.close}, it asks the agent to close the session it has open there, so
 * the agent can cancel work and free what it holds instead of just losing its stdin. Bounded: an
 * agent that does not answer within {@link #LIMIT} is stopped all the same. Never after Ctrl+C
 * (the interrupt must stay quick) nor when the agent is already gone.
 */
final class SessionCloser {
    static final Duration LIMIT = Duration.ofSeconds(1);

    private SessionCloser() {}

    static boolean offered(InitializeResponse initialized) {
        return initialized != null && initialized.agentCapabilities() != null
                && initialized.agentCapabilities().sessionCapabilities() != null
                && initialized.agentCapabilities().sessionCapabilities().close() != null
                && !initialized.agentCapabilities().sessionCapabilities().close().isNull();
    }

    /** Sends session/close when the agent offers it and a session is open; never throws. */
    static void closeQuietly(AcpClientConnection connection, InitializeResponse initialized, boolean alive,
                             String reason) {
        String sessionId = connection.openSession();
        if (!alive || sessionId == null || "interrupted".equals(reason) || !offered(initialized)) {
            return;
        }
        try {
            Timed.run(() -> {
                connection.closeSession(sessionId);
                return null;
            }, LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // refused, gone or slow: the agent is stopped next either way
        }
    }
}
