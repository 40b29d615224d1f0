package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.StatusInfo;
import java.nio.file.Path;

/**
 * The line the Node acpx prints on stderr before a prompt (text, and json without --json-strict):
 * {@code [acpx] session <name|cwd> (<record id>) · <cwd>[ (routed from ./sub)] · agent <status>},
 * where the status is {@code connected} (its queue owner answers), {@code needs reconnect} (an
 * owner holds the session but does not answer) or {@code starting} (none runs).
 */
final class PromptBanner {
    private PromptBanner() {}

    /** The record id of the session the prompt goes to, after printing the banner; null when there is none. */
    static String print(Context ctx, GlobalOptions g, AgentRef agent, Path cwd, String name, boolean show) {
        StatusInfo status;
        try {
            status = ctx.runtime().status(agent, cwd, name);
        } catch (AcpxException e) {
            if (e.kind() == ErrorKind.NO_SESSION) {
                return null; // the prompt itself says so, in its own words
            }
            throw e;
        }
        var s = status.session();
        if (show) {
            String connection = status.ownerState() != null ? "connected" : s.running() ? "needs reconnect" : "starting";
            Path sessionCwd = Path.of(s.cwd()).toAbsolutePath().normalize();
            String routed = routedFrom(sessionCwd, cwd.toAbsolutePath().normalize());
            ctx.err.println("[acpx] session " + (s.name() != null ? s.name() : "cwd") + " (" + s.recordId() + ") · "
                    + sessionCwd + (routed == null ? "" : " (routed from " + routed + ")") + " · agent " + connection);
        }
        return s.recordId();
    }

    private static String routedFrom(Path sessionCwd, Path currentCwd) {
        if (sessionCwd.equals(currentCwd)) {
            return null;
        }
        String relative = sessionCwd.relativize(currentCwd).toString();
        if (relative.isEmpty() || relative.equals(".")) {
            return null;
        }
        return relative.startsWith(".") ? relative : "." + java.io.File.separator + relative;
    }
}
