package dev.acpx.api;

import java.util.ServiceLoader;

/**
 * Finds the {@link AcpxRuntimeProvider}. Looked up at each use (a runtime is built once per host,
 * a policy parsed once per command), so nothing is cached and a missing implementation fails the
 * same clear way every time.
 */
final class ProviderLookup {
    private ProviderLookup() {}

    static AcpxRuntimeProvider find() {
        return ServiceLoader.load(AcpxRuntimeProvider.class, AcpxRuntimeProvider.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new AcpxException(ErrorKind.RUNTIME, "no acpx runtime implementation found;"
                        + " put dev.acpx:acpx-core (with its META-INF/services) on the class or module path"));
    }
}
