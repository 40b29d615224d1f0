package dev.acpx.core.lifecycle;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One held concurrency slot. Closing it releases the slot; process death releases it too, because
 * the underlying {@link HostFileLock} is a kernel lock.
 */
public final class Slot implements AutoCloseable {

    private final int index;
    private final HolderInfo holder;
    private final HostFileLock lock;
    private final Path sidecar;
    private final Closeable name;
    private boolean closed;

    Slot(int index, HolderInfo holder, HostFileLock lock, Path sidecar, Closeable name) {
        this.index = index;
        this.holder = holder;
        this.lock = lock;
        this.sidecar = sidecar;
        this.name = name;
    }

    public int index() {
        return index;
    }

    public HolderInfo holder() {
        return holder;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // Remove the holder note while still holding the lock, so it never erases a successor's.
            Files.deleteIfExists(sidecar);
        } catch (IOException e) {
            release();
            throw new UncheckedIOException("cannot remove slot holder file " + sidecar, e);
        }
        release();
    }

    private void release() {
        try {
            lock.close();
        } finally {
            try {
                name.close();
            } catch (IOException e) {
                // a socket close cannot fail in a way that keeps the name bound
            }
        }
    }
}
