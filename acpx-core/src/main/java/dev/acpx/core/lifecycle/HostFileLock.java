package dev.acpx.core.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive lock on a file that holds across threads, class loaders and processes of one host;
 * the kernel drops it when the holding process dies, so a SIGKILLed holder never blocks anyone.
 *
 * <p>Why the per-JVM table (the one piece of static state in acpx-core): Java's {@code FileChannel}
 * locks are POSIX {@code fcntl} locks, which belong to the whole process, and closing ANY descriptor
 * of the file drops every lock the process holds on it (measured on JDK 25: a second channel opened
 * and closed on a locked file silently freed the first channel's lock for other processes). So
 * each lock file gets exactly one channel per JVM, opened once and never closed, and threads of the
 * JVM take turns on it through a semaphore (not a ReentrantLock: a lock may be released by a thread
 * other than the one that took it). The table holds no configuration, only that kernel fact.
 *
 * <p>The channel lives as long as someone in this JVM holds or waits for the lock: each entry counts
 * its users and is closed (and dropped from the table) when the count falls to 0. Closing is then
 * harmless (no lock of this JVM on that file is held), and a long-lived host that locks a new file
 * per one-shot session does not keep one descriptor per session forever.
 */
public final class HostFileLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, Entry> OPEN = new ConcurrentHashMap<>();

    private final Entry entry;
    private final FileLock fileLock;
    private boolean released;

    private HostFileLock(Entry entry, FileLock fileLock) {
        this.entry = entry;
        this.fileLock = fileLock;
    }

    /** Takes the lock now if nobody (in this JVM or another process) holds it. */
    public static Optional<HostFileLock> tryLock(Path file) {
        Entry entry = retain(file);
        if (!entry.inJvm.tryAcquire()) {
            release(entry);
            return Optional.empty();
        }
        try {
            FileLock lock = entry.channel.tryLock();
            if (lock == null) {
                entry.inJvm.release();
                release(entry);
                return Optional.empty();
            }
            return Optional.of(new HostFileLock(entry, lock));
        } catch (IOException | RuntimeException e) {
            entry.inJvm.release();
            release(entry);
            throw failure("lock", file, e);
        }
    }

    /** Waits up to {@code timeout} for the lock; empty when it stayed held that long. */
    public static Optional<HostFileLock> lock(Path file, Duration timeout) throws InterruptedException {
        Entry entry = retain(file);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean inJvm = false;
        try {
            inJvm = entry.inJvm.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            if (!inJvm) {
                release(entry);
            }
        }
        if (!inJvm) {
            return Optional.empty();
        }
        try {
            // Another process may hold it: poll, since a blocking fcntl wait cannot be interrupted
            // or bounded by a deadline.
            long pause = 1;
            while (true) {
                FileLock lock = entry.channel.tryLock();
                if (lock != null) {
                    return Optional.of(new HostFileLock(entry, lock));
                }
                if (System.nanoTime() >= deadline) {
                    entry.inJvm.release();
                    release(entry);
                    return Optional.empty();
                }
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 20);
            }
        } catch (IOException | RuntimeException e) {
            entry.inJvm.release();
            release(entry);
            throw failure("lock", file, e);
        } catch (InterruptedException e) {
            entry.inJvm.release();
            release(entry);
            throw e;
        }
    }

    /**
     * True when someone holds the lock right now. Probing takes and drops the lock, so a concurrent
     * tryLock elsewhere can fail during those microseconds; callers that must not miss a free lock
     * retry.
     */
    public static boolean isHeld(Path file) {
        Optional<HostFileLock> probe = tryLock(file);
        probe.ifPresent(HostFileLock::close);
        return probe.isEmpty();
    }

    /** The locked file. */
    public Path file() {
        return entry.file;
    }

    /** Releases the lock; the channel closes when no other thread of this JVM holds or awaits it. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            fileLock.release();
        } catch (IOException e) {
            throw failure("release", entry.file, e);
        } finally {
            entry.inJvm.release();
            release(entry);
        }
    }

    /** Lock files this JVM has open right now (for leak tests and diagnostics). */
    public static int openChannels() {
        return OPEN.size();
    }

    /** The file's entry with one more user; opened when it is the first. */
    private static Entry retain(Path file) {
        Path key = realPathCreating(file);
        return OPEN.compute(key, (k, existing) -> {
            Entry e = existing != null ? existing : open(k);
            e.users++;
            return e;
        });
    }

    /**
     * One user fewer; the last one closes the channel. compute() runs atomically per key, so a
     * concurrent retain() either sees the entry before it is dropped (and keeps it open) or opens
     * a fresh channel after it.
     */
    private static void release(Entry entry) {
        OPEN.compute(entry.file, (k, existing) -> {
            if (existing != entry) {
                return existing; // cannot happen while entry has users; never close another's channel
            }
            if (--entry.users > 0) {
                return entry;
            }
            try {
                entry.channel.close();
            } catch (IOException e) {
                // the descriptor is gone either way; nothing is held on it
            }
            return null;
        });
    }

    private static Path realPathCreating(Path file) {
        try {
            PrivateFiles.ensureDirectory(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                PrivateFiles.createFile(file);
            }
            return file.toRealPath();
        } catch (IOException e) {
            throw failure("create", file, e);
        }
    }

    private static Entry open(Path realFile) {
        try {
            FileChannel channel = FileChannel.open(realFile, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
            return new Entry(realFile, channel);
        } catch (IOException e) {
            throw failure("open", realFile, e);
        }
    }

    private static UncheckedIOException failure(String what, Path file, Exception cause) {
        IOException io = cause instanceof IOException e ? e : new IOException(cause);
        return new UncheckedIOException(
                "cannot " + what + " lock file " + file + ": " + cause.getMessage()
                        + " (check that the directory exists and is writable by you)", io);
    }

    /** One open lock file; {@code users} is only touched inside {@code OPEN.compute} for its key. */
    private static final class Entry {
        final Path file;
        final FileChannel channel;
        final Semaphore inJvm = new Semaphore(1);
        int users;

        Entry(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }
    }
}
