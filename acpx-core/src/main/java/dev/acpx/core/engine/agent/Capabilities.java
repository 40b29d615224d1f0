package dev.acpx.core.engine.agent;

import dev.acpx.api.ClientAccess;
import dev.acpx.core.protocol.ClientCapabilities;
import dev.acpx.core.protocol.FileSystemCapabilities;
import dev.acpx.core.protocol.Implementation;

/**
 * What this client tells agents it can do: read and write files in the session cwd and run
 * terminals, unless {@code --no-fs} / {@code --no-terminal} took them away (SPEC-P2 §8).
 */
final class Capabilities {
    private Capabilities() {}

    static ClientCapabilities client(ClientAccess access) {
        return new ClientCapabilities(new FileSystemCapabilities(access.fileSystem(), access.fileSystem()),
                access.terminal());
    }

    static Implementation clientInfo(String version) {
        return new Implementation("acpx", "acpx for Java", version);
    }
}
