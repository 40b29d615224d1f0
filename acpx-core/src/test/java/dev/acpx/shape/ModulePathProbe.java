package dev.acpx.shape;

import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ExecRequest;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.PermissionRules;
import dev.acpx.api.TurnEvent;
import dev.acpx.api.TurnResult;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run by {@link ModulePathTest} in a JVM where acpx-core is the named module {@code dev.acpx.core}
 * on the module path and this class is on the class path: it uses the API only, and prints what it
 * found, one fact a line. Args: the home directory, then optionally the mock agent's command line.
 */
public final class ModulePathProbe {
    private ModulePathProbe() {}

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        try (AcpxRuntime rt = AcpxRuntime.builder().userHome(home).shutdownHook(false).build()) {
            Module module = rt.getClass().getModule();
            System.out.println("module " + module.getName());
            System.out.println("exports api " + module.isExported("dev.acpx.api"));
            System.out.println("exports runtime " + module.isExported("dev.acpx.core.runtime"));
            System.out.println("exports api.flow " + module.isExported("dev.acpx.api.flow"));
            dev.acpx.api.flow.FlowRunResult flow = dev.acpx.api.flow.FlowRunner.create(rt, home).run(
                    dev.acpx.api.flow.Flow.builder("probe").node("one", dev.acpx.api.flow.FlowNode.compute(c -> 1)).build(),
                    null, new dev.acpx.api.flow.FlowRunOptions(home, null, PermissionPolicies.denyAll()));
            System.out.println("flow " + flow.status() + " " + flow.outputs());
            PermissionRules rules = PermissionRules.parse("{\"autoApprove\":[\"read\"]}", home);
            System.out.println("policy " + rules.autoApprove());
            if (args.length > 1) {
                AgentRef agent = rt.resolveAgent(args[1], true, home);
                StringBuilder text = new StringBuilder();
                TurnResult r = rt.exec(new ExecRequest(agent, home, "echo from the module path",
                        PermissionPolicies.approveAll(), Duration.ofSeconds(60), null, false), e -> {
                            if (e instanceof TurnEvent.AgentText t) {
                                text.append(t.text());
                            }
                        });
                System.out.println("exec " + r.stopReason() + " " + text);
            }
        }
    }
}
