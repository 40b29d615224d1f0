package dev.acpx.api.flow;

import dev.acpx.api.AcpxRuntime;

/** The service behind {@link FlowRunner#create} (acpx-core provides the one implementation). */
public interface FlowRunnerProvider {
    FlowRunner create(AcpxRuntime runtime, java.nio.file.Path userHome);
}
