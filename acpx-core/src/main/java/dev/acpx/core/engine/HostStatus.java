package dev.acpx.core.engine;

/**
 * What a {@link SessionHost} knows about its live ACP session, for {@code status}.
 *
 * @param agentPid       pid of the agent process, or null when none runs right now
 * @param agentCommand   the resolved agent command
 * @param cwd            the session's working directory
 * @param acpSessionId   the ACP session id, or null before the session exists
 * @param agentSessionId the agent's own session id when it reports one, else null
 * @param modeId         the current mode, or null when unknown
 */
public record HostStatus(Long agentPid, String agentCommand, String cwd, String acpSessionId,
                         String agentSessionId, String modeId) {}
