package dev.acpx.api;

/**
 * The answer of {@code sessions list} when asked of the agent ({@code session/list}).
 *
 * @param outcome what happened: listed, the agent does not offer a list, or it could not be started
 * @param json for LISTED, the Node acpx 0.19.1 result object
 *             ({@code {"_meta"?,"source":"agent","sessions":[...],"cursor"?,"cwd"?,"nextCursor"?}})
 */
public record AgentSessionList(Outcome outcome, String json) {
    public enum Outcome { LISTED, UNSUPPORTED, SPAWN_FAILED }
}
