package dev.acpx.core.flow;

import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.flow.FlowRunner;
import dev.acpx.api.flow.FlowRunnerProvider;
import java.nio.file.Path;

/** acpx-core's flow runner, found by {@link FlowRunner#create}. */
public final class CoreFlowRunnerProvider implements FlowRunnerProvider {
    @Override
    public FlowRunner create(AcpxRuntime runtime, Path userHome) {
        return new FlowEngine(runtime, userHome);
    }
}
