package dev.acpx.core.runtime;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.SessionAgentOptions;
import dev.acpx.api.SessionOpened;
import dev.acpx.core.options.SessionMeta;
import dev.acpx.core.config.AcpxConfig;
import dev.acpx.core.engine.owner.OwnerBridge;
import dev.acpx.core.session.SessionService;
import dev.acpx.core.session.SessionRecord;
import java.nio.file.Path;
import java.time.Duration;

/** The steps the session commands of a runtime share. */
final class SessionCommands {
    private SessionCommands() {}

    /**
     * Starts the agent once for a record just created (the Node acpx's {@code sessions new}), so the
     * record knows the agent's session id, capabilities and models; a failure leaves no record.
     */
    static SessionOpened connected(SessionService s, OwnerBridge owners, SessionOpened opened, AgentRef agent,
                                   AcpxConfig config, Duration timeout, SessionAgentOptions options,
                                   String resumeSessionId) {
        String id = opened.session().recordId();
        var stored = SessionMeta.toRecord(options);
        if (stored != null) {
            s.store().update(id, r -> {
                r.selections().setSessionOptions(stored.deepCopy());
                if (options.model() != null) {
                    // selected after session/new, and again after every reconnect, like `set model`
                    r.selections().putDesiredConfigOption("model", options.model());
                }
                return true;
            });
        }
        SessionRecord record = s.store().load(id).orElseThrow(() -> new AcpxException(ErrorKind.RUNTIME,
                "the session record " + id + " vanished while it was being created"));
        try {
            owners.connect(record, agent, config, timeout, resumeSessionId);
        } catch (RuntimeException e) {
            s.discard(id);
            throw e;
        }
        SessionRecord fresh = s.store().load(id).orElse(record);
        return new SessionOpened(s.info(fresh), opened.created(), opened.replacedRecordId());
    }

    /** show, history and close name a missing session as the Node acpx does (RUNTIME, exit 1). */
    static SessionRecord scoped(SessionService s, AgentRef agent, Path cwd, String nameOrId, boolean includeClosed) {
        try {
            return s.lookup(agent, cwd, nameOrId, includeClosed);
        } catch (AcpxException e) {
            if (e.kind() == ErrorKind.NO_SESSION) {
                throw SessionService.missingScoped(agent, cwd, nameOrId);
            }
            throw e;
        }
    }
}
