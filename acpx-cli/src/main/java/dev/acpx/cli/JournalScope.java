package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.core.session.SessionRecord;
import dev.acpx.core.session.SessionStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * The record of {@code sessions read}, {@code watch}: exact cwd, agent command and name, closed ones
 * too (no directory walk); the open one first, else the most recently used (SPEC-P2 §1.2, §1.3).
 */
final class JournalScope {
    private JournalScope() {}

    static SessionStore store(Context ctx) {
        return new SessionStore(ctx.userHome().resolve(".acpx"), ctx.mapper(), Clock.systemUTC());
    }

    static SessionRecord find(SessionStore store, AgentRef agent, Path cwd, String name) {
        String dir = cwd.toString();
        return store.list().records().stream()
                .filter(r -> agent.command().equals(r.agentCommand()) && dir.equals(r.cwd())
                        && Objects.equals(name, r.name()))
                .min(Comparator.comparing((SessionRecord r) -> r.closed())
                        .thenComparing(r -> r.lastUsedAt() == null ? Instant.EPOCH : r.lastUsedAt(),
                                Comparator.reverseOrder()))
                .orElseThrow(() -> AcpxException.runtime(name == null
                        ? "No cwd session for " + dir + " and agent " + Context.agentLabel(agent)
                        : "No named session \"" + name + "\" for cwd " + dir + " and agent " + Context.agentLabel(agent)));
    }
}
