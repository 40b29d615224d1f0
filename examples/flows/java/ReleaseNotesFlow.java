import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.NonInteractivePermissions;
import dev.acpx.api.PermissionPolicies;
import dev.acpx.api.flow.Flow;
import dev.acpx.api.flow.FlowEdge;
import dev.acpx.api.flow.FlowNode;
import dev.acpx.api.flow.FlowRunOptions;
import dev.acpx.api.flow.FlowRunResult;
import dev.acpx.api.flow.FlowRunner;
import dev.acpx.api.flow.ShellSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A flow written in Java: list the files of a directory (shell action), count them (compute), ask the
 * agent for release notes in its persistent session (acp), fall back to a canned note when the agent
 * fails (a switch on $result.outcome), and write the notes to a file (function action).
 *
 * Run it with the acpx jar on the class path (JDK 21+ single-file launch):
 *   java -cp acpx-cli/target/acpx.jar examples/flows/java/ReleaseNotesFlow.java [agent] [dir]
 * agent defaults to `demo` (offline); dir to the current directory. The run is kept in
 * ~/.acpx/flows/runs (listed by `acpx flow runs`), and its ACP session ends closed.
 */
public class ReleaseNotesFlow {
    static Flow flow() {
        return Flow.builder("release-notes")
                .title(input -> "Release notes for " + ((Map<?, ?>) input).get("dir"))
                .node("files", FlowNode.shell(ctx -> ShellSpec.of("ls", "-1", (String) ((Map<?, ?>) ctx.input()).get("dir"))
                        .withTimeout(Duration.ofSeconds(30))))
                .node("count", FlowNode.compute(ctx -> {
                    String listing = (String) ((Map<?, ?>) ctx.outputs().get("files")).get("stdout");
                    List<String> names = listing.lines().filter(l -> !l.isBlank()).toList();
                    ctx.state().put("fileCount", names.size());
                    return Map.of("files", names, "count", names.size());
                }))
                .node("draft", FlowNode.acp(ctx -> "Write two lines of release notes for a project with "
                                + ctx.state().get("fileCount") + " files: " + ((Map<?, ?>) ctx.outputs().get("count")).get("files"))
                        .withTimeout(Duration.ofMinutes(2)))
                .node("fallback", FlowNode.compute(ctx -> "No notes this time: " + ((Map<?, ?>) ctx.results().get("draft")).get("error")))
                .node("write", FlowNode.action(ctx -> {
                    Object notes = ctx.outputs().containsKey("fallback") ? ctx.outputs().get("fallback") : ctx.outputs().get("draft");
                    try {
                        Path file = Files.createTempFile("release-notes-", ".txt");
                        Files.writeString(file, String.valueOf(notes));
                        return Map.of("file", file.toString(), "chars", String.valueOf(notes).length());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }))
                .edge(FlowEdge.to("files", "count"))
                .edge(FlowEdge.to("count", "draft"))
                .edge(FlowEdge.switchOn("draft", "$result.outcome", Map.of("ok", "write", "failed", "fallback",
                        "timed_out", "fallback")))
                .edge(FlowEdge.to("fallback", "write"))
                .build();
    }

    public static void main(String[] args) {
        String agentName = args.length > 0 ? args[0] : "demo";
        Path cwd = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
        String homeEnv = System.getenv("HOME");
        Path home = Path.of(homeEnv != null && !homeEnv.isBlank() ? homeEnv : System.getProperty("user.home"));
        try (AcpxRuntime runtime = AcpxRuntime.builder().userHome(home).build()) {
            FlowRunner runner = FlowRunner.create(runtime, home);
            AgentRef agent = runtime.resolveAgent(agentName, false, cwd);
            FlowRunOptions options = new FlowRunOptions(cwd, agent,
                    PermissionPolicies.approveReads(null, NonInteractivePermissions.DENY));
            FlowRunResult result = runner.run(flow(), Map.of("dir", cwd.toString()), options);
            System.out.println("runId: " + result.runId());
            System.out.println("status: " + result.status());
            System.out.println("runDir: " + result.runDir());
            System.out.println("write: " + result.outputs().get("write"));
            if (!result.succeeded()) {
                System.err.println(result.error());
                System.exit(1);
            }
        }
    }
}
