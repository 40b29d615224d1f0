package dev.acpx.core.lifecycle;

/**
 * A directory acpx would keep its state in (records, locks, sockets, slots) that another user
 * could control: owned by someone else, writable by group or others, or a symlink to such a place.
 * The message is one line naming the path and what to do; nothing was written there.
 */
public final class UntrustedDirectoryException extends RuntimeException {
    private final transient java.nio.file.Path directory;

    public UntrustedDirectoryException(java.nio.file.Path directory, String message) {
        super(message);
        this.directory = directory;
    }

    public java.nio.file.Path directory() {
        return directory;
    }
}
