package dev.acpx.thin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process's standard streams are terminals, read from /proc (the JDK only tells stdin+stdout). */
public final class Terminals {
    private Terminals() {}

    /** Whether file descriptor {@code fd} is a terminal; null when that cannot be told (no /proc). */
    public static Boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }
}
