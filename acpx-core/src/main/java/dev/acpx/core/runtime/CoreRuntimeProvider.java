package dev.acpx.core.runtime;

import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AcpxRuntimeProvider;
import dev.acpx.api.PermissionRules;
import dev.acpx.api.RuntimeOptions;
import dev.acpx.core.permission.PolicyParser;
import java.nio.file.Path;

/** acpx-core's implementation of the API, registered as a service (module-info and META-INF/services). */
public final class CoreRuntimeProvider implements AcpxRuntimeProvider {

    /** For {@link java.util.ServiceLoader}. */
    public CoreRuntimeProvider() {
    }

    @Override
    public AcpxRuntime create(RuntimeOptions options) {
        return new CoreRuntime(options);
    }

    @Override
    public PermissionRules parsePolicy(String flagValue, Path cwd) {
        return PolicyParser.parse(flagValue, cwd);
    }
}
