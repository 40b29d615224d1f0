package dev.acpx.core.runtime;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.core.lifecycle.PrivateFiles;
import dev.acpx.core.lifecycle.UntrustedDirectoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** A runtime's {@code ~/.acpx}: created private on first use, and refused when it is not the user's own. */
final class AcpxHome {
    private final Path home;
    private volatile boolean ready;

    AcpxHome(Path home) {
        this.home = home;
    }

    /** The directory, created (0700) and checked once. */
    Path checked() {
        if (!ready) {
            try {
                PrivateFiles.ensureDirectory(home);
                // Checked up front (and again where each is used) so a foreign or world-writable
                // directory is one clear error, never "internal error" from deep in a command.
                for (String sub : new String[] {"sessions", "queue", "slots"}) {
                    Path dir = home.resolve(sub);
                    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                        PrivateFiles.checkTrusted(dir);
                    }
                }
            } catch (UntrustedDirectoryException e) {
                throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
            } catch (IOException e) {
                throw new AcpxException(ErrorKind.RUNTIME, "cannot create " + home + ": " + e.getMessage()
                        + "; check that HOME is writable");
            }
            ready = true;
        }
        return home;
    }
}
