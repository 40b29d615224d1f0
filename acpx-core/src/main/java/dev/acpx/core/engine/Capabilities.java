package dev.acpx.core.engine;

import dev.acpx.core.protocol.ClientCapabilities;
import dev.acpx.core.protocol.FileSystemCapabilities;
import dev.acpx.core.protocol.Implementation;

/** What this client tells agents it can do: read and write files in the session cwd, run terminals. */
final class Capabilities {
    private Capabilities() {}

    static ClientCapabilities client() {
        return new ClientCapabilities(new FileSystemCapabilities(true, true), true);
    }

    static Implementation clientInfo(String version) {
        return new Implementation("acpx", "acpx for Java", version);
    }
}
