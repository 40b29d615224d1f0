package dev.acpx.core.os;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * The few Linux system calls the JDK does not offer and acpx needs to keep its guarantees:
 * becoming a child subreaper (so that daemonized agent processes are re-parented to us rather than
 * to init), reaping adopted children, and binding abstract-namespace Unix socket names (a lock that
 * no file removal can lift).
 *
 * <p>The real implementation uses the foreign function API, final since JDK 22, and lives in
 * {@code META-INF/versions/22} of the multi-release jar; acpx-core itself is compiled for 21. On
 * JDK 21, on a non-Linux system, or when native access is not enabled for acpx
 * ({@code --enable-native-access=ALL-UNNAMED}), {@link #load()} returns {@link Unavailable} and
 * callers keep their portable fallbacks. Loading never prints anything: the JDK's warning about
 * restricted methods would break {@code --json-strict}'s empty stderr, so without the flag the
 * calls are simply not made.
 */
public interface Kernel {

    /** Whether calls reach the kernel; false for the fallback, whose calls do nothing. */
    boolean available();

    /** One line for diagnostics: what was loaded, or why not. */
    String description();

    /** {@code prctl(PR_SET_CHILD_SUBREAPER, 1)}; true when this process is now a subreaper. */
    boolean becomeChildSubreaper();

    /**
     * {@code waitpid(pid, WNOHANG)}: true when {@code pid} was one of our exited children and is now
     * reaped. Call it only for pids the JDK did not start: stealing the JDK's own wait would turn its
     * exit code into 0.
     */
    boolean reap(long pid);

    /**
     * Binds the abstract Unix socket name {@code name} (Linux: a name outside the file system, released
     * by the kernel when its last descriptor closes, so also when this process dies). Empty when
     * someone already holds the name.
     *
     * @throws IOException when the name cannot be bound for another reason, or the kernel is unavailable
     */
    Optional<Closeable> bindAbstractName(String name) throws IOException;

    /** The kernel of this JVM, or the fallback with the reason. Cheap after the first call. */
    static Kernel load() {
        return Loader.KERNEL;
    }

    /** No native access: every call is a no-op that reports failure. */
    record Unavailable(String reason) implements Kernel {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public String description() {
            return "native calls unavailable: " + reason;
        }

        @Override
        public boolean becomeChildSubreaper() {
            return false;
        }

        @Override
        public boolean reap(long pid) {
            return false;
        }

        @Override
        public Optional<Closeable> bindAbstractName(String name) throws IOException {
            throw new IOException("abstract socket names need native access (" + reason + ")");
        }
    }
}
