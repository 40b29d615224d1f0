package dev.acpx.core.engine.agent;

import dev.acpx.api.ClientAccess;
import dev.acpx.core.protocol.ClientCapabilities;
import dev.acpx.core.protocol.FileSystemCapabilities;
import dev.acpx.core.protocol.Implementation;

/**
 * What this client tells agents it can do: read and write files in the session cwd and run
 * terminals, unless {@code --no-fs} / {@code --no-terminal} took them away (SPEC-P2 §8).
 */
public final class Capabilities {
    private Capabilities() {}

    public static ClientCapabilities client(ClientAccess access) {
        // ACP 2026: notices and compaction updates are rendered, elicitations asked (or declined).
        return new ClientCapabilities(new FileSystemCapabilities(access.fileSystem(), access.fileSystem()),
                access.terminal(), ClientCapabilities.Session.all(), ClientCapabilities.Elicitation.all());
    }

    static Implementation clientInfo(String version) {
        return new Implementation("acpx", "acpx for Java", version);
    }
}
