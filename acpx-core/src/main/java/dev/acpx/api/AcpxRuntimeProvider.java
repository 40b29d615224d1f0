package dev.acpx.api;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The service an implementation of this API provides (found with {@link ServiceLoader}: a
 * {@code provides} clause in its module, or {@code META-INF/services} on the class path). The API
 * names no implementation class, so it depends on nothing and no package cycle exists; acpx-core
 * ships the one implementation.
 */
public interface AcpxRuntimeProvider {

    /** A runtime with these options. */
    AcpxRuntime create(RuntimeOptions options);

    /** {@link PermissionRules#parse}: the flag's inline JSON or file, read. */
    PermissionRules parsePolicy(String flagValue, Path cwd);

    /** The implementation on the class or module path; fails with one line naming what is missing. */
    static AcpxRuntimeProvider find() {
        return ProviderLookup.find();
    }
}
