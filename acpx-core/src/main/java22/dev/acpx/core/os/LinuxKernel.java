package dev.acpx.core.os;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Kernel} through the foreign function API (JDK 22+, Linux x86-64 and aarch64: the constants
 * below are the generic Linux ABI values both share). Package-private and absent from the base
 * version of the jar: {@link Loader} finds it by name only on a JDK that can load it.
 */
@SuppressWarnings("restricted")
final class LinuxKernel implements Kernel {

    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int EADDRINUSE = 98;
    /** sizeof(struct sockaddr_un): a 2-byte family and 108 bytes of path. */
    private static final int SOCKADDR_UN_BYTES = 110;

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup libc = linker.defaultLookup();
    private final StructLayout callState = Linker.Option.captureStateLayout();
    private final VarHandle errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private final Linker.Option keepErrno = Linker.Option.captureCallState("errno");
    // Each handle is linked on first use: linking generates code, and the CLI's start-up pays only for
    // prctl, which every run needs; the slot and reaping calls come later or never.
    private final Lazy prctl = new Lazy(() -> downcall("prctl", FunctionDescriptor.of(I, I, L, L, L, L),
            // prctl is variadic in glibc's header: every argument after the option is passed as one.
            Linker.Option.firstVariadicArg(1)));
    private final Lazy waitpid = new Lazy(() -> downcall("waitpid", FunctionDescriptor.of(I, I, ValueLayout.ADDRESS, I),
            keepErrno));
    private final Lazy socket = new Lazy(() -> downcall("socket", FunctionDescriptor.of(I, I, I, I), keepErrno));
    private final Lazy bind = new Lazy(() -> downcall("bind", FunctionDescriptor.of(I, I, ValueLayout.ADDRESS, I),
            keepErrno));
    private final Lazy close = new Lazy(() -> downcall("close", FunctionDescriptor.of(I, I)));

    private LinuxKernel() {
    }

    private MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return linker.downcallHandle(libc.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name)),
                descriptor, options);
    }

    /** A method handle linked once, on first use, by whichever thread gets there first. */
    private static final class Lazy {
        private final java.util.function.Supplier<MethodHandle> link;
        private volatile MethodHandle handle;

        Lazy(java.util.function.Supplier<MethodHandle> link) {
            this.link = link;
        }

        MethodHandle get() {
            MethodHandle h = handle;
            if (h == null) {
                synchronized (this) {
                    h = handle;
                    if (h == null) {
                        h = link.get();
                        handle = h;
                    }
                }
            }
            return h;
        }
    }

    /** Called reflectively by {@link Loader}. */
    public static Kernel create() {
        if (!LinuxKernel.class.getModule().isNativeAccessEnabled()) {
            // Calling anyway would make the JDK print a warning on stderr; stay silent and fall back.
            return new Kernel.Unavailable("native access is not enabled (start the JVM with "
                    + "--enable-native-access=ALL-UNNAMED)");
        }
        return new LinuxKernel();
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String description() {
        return "Linux system calls through the foreign function API (JDK " + Runtime.version().feature() + ")";
    }

    @Override
    public boolean becomeChildSubreaper() {
        try {
            return (int) prctl.get().invokeExact(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) == 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean reap(long pid) {
        if (pid <= 1 || pid > Integer.MAX_VALUE) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            while (true) {
                int r = (int) waitpid.get().invokeExact(state, (int) pid, status, WNOHANG);
                if (r == -1 && (int) errno.get(state, 0L) == EINTR) {
                    continue;
                }
                return r == pid;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public Optional<Closeable> bindAbstractName(String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        // Abstract names: a NUL first path byte, then the name; the address length bounds the name.
        int length = 2 + 1 + bytes.length;
        if (length > SOCKADDR_UN_BYTES) {
            throw new IOException("abstract socket name too long (" + bytes.length + " bytes): " + name);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd = (int) socket.get().invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_UNIX) failed: errno " + (int) errno.get(state, 0L));
            }
            MemorySegment address = arena.allocate(SOCKADDR_UN_BYTES, 2);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 3, bytes.length);
            int r = (int) bind.get().invokeExact(state, fd, address, length);
            if (r == 0) {
                return Optional.of(new BoundName(fd));
            }
            int err = (int) errno.get(state, 0L);
            closeFd(fd);
            if (err == EADDRINUSE) {
                return Optional.empty();
            }
            throw new IOException("bind of abstract socket name " + name + " failed: errno " + err);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void closeFd(int fd) {
        try {
            int ignored = (int) close.get().invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** The socket that holds a name; closing it (or this process dying) frees the name. */
    private final class BoundName implements Closeable {
        private final int fd;
        private final AtomicBoolean closed = new AtomicBoolean();

        BoundName(int fd) {
            this.fd = fd;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                closeFd(fd);
            }
        }
    }
}
