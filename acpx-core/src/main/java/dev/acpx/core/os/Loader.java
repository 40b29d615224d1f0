package dev.acpx.core.os;

import java.util.Locale;

/**
 * Finds the foreign-function kernel once per JVM. The constant is immutable (method handles bound to
 * libc); it is static because what it describes, the JVM's own process, is one per JVM.
 */
final class Loader {
    /** System property that turns native calls off ({@code -Dacpx.native=off}), e.g. to test fallbacks. */
    static final String SWITCH = "acpx.native";
    private static final String IMPLEMENTATION = "dev.acpx.core.os.LinuxKernel";

    static final Kernel KERNEL = load();

    private Loader() {}

    private static Kernel load() {
        if ("off".equalsIgnoreCase(System.getProperty(SWITCH, ""))) {
            return new Kernel.Unavailable("turned off with -D" + SWITCH + "=off");
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return new Kernel.Unavailable("not Linux");
        }
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return new Kernel.Unavailable("JDK " + feature + " has no final foreign function API (needs 22+)");
        }
        try {
            // Present only in META-INF/versions/22 of the jar, so never loaded by a JDK 21.
            Class<?> type = Class.forName(IMPLEMENTATION, true, Loader.class.getClassLoader());
            return (Kernel) type.getMethod("create").invoke(null);
        } catch (ClassNotFoundException e) {
            return new Kernel.Unavailable("acpx-core is not on the class path as a multi-release jar");
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Kernel.Unavailable("cannot link libc: " + cause);
        }
    }
}
