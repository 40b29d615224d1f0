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
        Entry entry = entryFor(file);
        if (!entry.inJvm.tryAcquire()) {
            return Optional.empty();
        }
        try {
            FileLock lock = entry.channel.tryLock();
            if (lock == null) {
                entry.inJvm.release();
                return Optional.empty();
            }
            return Optional.of(new HostFileLock(entry, lock));
        } catch (IOException | RuntimeException e) {
            entry.inJvm.release();
            throw failure("lock", file, e);
        }
    }

    /** Waits up to {@code timeout} for the lock; empty when it stayed held that long. */
    public static Optional<HostFileLock> lock(Path file, Duration timeout) throws InterruptedException {
        Entry entry = entryFor(file);
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!entry.inJvm.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
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
                    return Optional.empty();
                }
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 20);
            }
        } catch (IOException | RuntimeException e) {
            entry.inJvm.release();
            throw failure("lock", file, e);
        } catch (InterruptedException e) {
            entry.inJvm.release();
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

    /** Releases the lock; the channel stays open for the next taker (see the class comment). */
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
        }
    }

    private static Entry entryFor(Path file) {
        Path key;
        try {
            PrivateFiles.ensureDirectory(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                PrivateFiles.createFile(file);
            }
            key = file.toRealPath();
        } catch (IOException e) {
            throw failure("create", file, e);
        }
        return OPEN.computeIfAbsent(key, HostFileLock::open);
    }

    private static Entry open(Path realFile) {
        try {
            FileChannel channel = FileChannel.open(realFile, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
            return new Entry(realFile, channel, new Semaphore(1));
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

    private record Entry(Path file, FileChannel channel, Semaphore inJvm) {}
}
