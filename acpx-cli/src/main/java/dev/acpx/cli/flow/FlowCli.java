package dev.acpx.cli.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.AcpxRuntime;
import dev.acpx.api.AgentRef;
import dev.acpx.api.ClientAccess;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.PermissionMode;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.SessionAgentOptions;
import dev.acpx.api.flow.Flow;
import dev.acpx.api.flow.FlowPermissions;
import dev.acpx.api.flow.FlowRunOptions;
import dev.acpx.api.flow.FlowRunResult;
import dev.acpx.api.flow.FlowRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code flow} verb: {@code run <file>} (SPEC-P2 §5.1, §5.5), and ours, {@code resume <runId>}
 * (a run stopped at a checkpoint) and {@code runs} (the store's runs with their state). Every action
 * first reaps runs whose process died, so their sessions end closed. Failures are thrown as
 * {@link AcpxException}s for the CLI to render; a result is printed only for a completed or waiting run.
 */
public final class FlowCli {
    private static final List<String> MODULE_EXTENSIONS = List.of(".js", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts");

    /** What the global options decide for the run. */
    public record RunSettings(PermissionPolicy policy, PermissionMode mode, boolean modeGiven, Duration timeout,
                              SessionAgentOptions agentOptions, ClientAccess access) {}

    private final AcpxRuntime runtime;
    private final Path cwd;
    /** The caller's working directory: a relative flow file is found from there, as in the Node acpx. */
    private final Path launchDir;
    private final PrintStream out;
    private final String format;
    private final Function<JsonNode, String> pretty;
    private final Supplier<AgentRef> defaultAgent;
    private final FlowRunner runner;
    private final ObjectMapper mapper = new ObjectMapper();

    public FlowCli(AcpxRuntime runtime, Path userHome, Path cwd, Path launchDir, PrintStream out, String format,
                   Function<JsonNode, String> pretty, Supplier<AgentRef> defaultAgent) {
        this.runtime = runtime;
        this.cwd = cwd;
        this.launchDir = launchDir;
        this.out = out;
        this.format = format;
        this.pretty = pretty;
        this.defaultAgent = defaultAgent;
        this.runner = FlowRunner.create(runtime, userHome);
    }

    /** Ctrl+C / SIGTERM: the run being driven ends failed (Interrupted) with its sessions closed. */
    public void interrupt() {
        runner.interrupt();
    }

    public int run(List<String> args, String inputJson, String inputFile, RunSettings settings) {
        if (args.isEmpty()) {
            throw AcpxException.usage("flow needs an action: flow run <file> | flow resume <runId> | flow runs");
        }
        String action = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (action) {
            case "run" -> {
                one(rest, "flow run <file>");
                yield runFile(rest.get(0), input(inputJson, inputFile), settings);
            }
            case "resume" -> {
                one(rest, "flow resume <runId>");
                noInput(inputJson, inputFile, "resume");
                yield resume(rest.get(0), settings);
            }
            case "runs" -> {
                if (!rest.isEmpty()) {
                    throw AcpxException.usage("flow runs takes no arguments, got: " + String.join(" ", rest));
                }
                noInput(inputJson, inputFile, "runs");
                runner.reap();
                new FlowRunsOutput(out, format, mapper).print(runner.runs());
                yield 0;
            }
            default -> throw AcpxException.usage("unknown flow action '" + action + "'; use run, resume or runs");
        };
    }

    private static void one(List<String> rest, String usage) {
        if (rest.size() != 1) {
            throw AcpxException.usage("usage: acpx " + usage);
        }
    }

    private static void noInput(String inputJson, String inputFile, String action) {
        if (inputJson != null || inputFile != null) {
            throw AcpxException.usage("flow " + action + " takes no input; the input is given to flow run");
        }
    }

    private int runFile(String file, Object input, RunSettings settings) {
        Path path = launchDir.resolve(file).normalize();
        String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (MODULE_EXTENSIONS.stream().anyMatch(lower::endsWith)) {
            throw AcpxException.runtime("Flow file " + file + " is a JavaScript/TypeScript module; acpx for Java runs"
                    + " JSON flow files and Java flows (dev.acpx.api.flow): port it as docs/FLOWS.md shows");
        }
        String source;
        try {
            source = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw AcpxException.runtime("Flow file not found: " + path);
        } catch (IOException e) {
            throw AcpxException.runtime("Cannot read flow file " + path + ": " + e.getMessage());
        }
        Flow flow = load(source, path.toString());
        checkPermissions(flow, settings);
        runner.reap();
        FlowRunResult result = runner.run(flow, input, options(settings, path.toString(), source, cwd));
        return report(result);
    }

    private int resume(String runId, RunSettings settings) {
        runner.reap();
        String source = runner.storedSource(runId);
        if (source == null) {
            throw AcpxException.usage("Run " + runId + " was started from a Java flow; resume it from Java with"
                    + " FlowRunner.resume(flow, runId, options)");
        }
        Flow flow = load(source, runId + "/source.json");
        checkPermissions(flow, settings);
        FlowRunResult result = runner.resume(flow, runId, options(settings, null, source, cwd));
        return report(result);
    }

    private Flow load(String source, String origin) {
        try {
            return runner.load(source, origin);
        } catch (IllegalArgumentException e) {
            throw AcpxException.runtime(e.getMessage());
        }
    }

    private FlowRunOptions options(RunSettings s, String flowPath, String source, Path runCwd) {
        AgentRef agent = defaultAgent.get();
        return new FlowRunOptions(runCwd, agent, s.policy(), s.timeout(), s.agentOptions(), s.access(), flowPath, source);
    }

    /** The Node acpx's permission requirements, checked before any work (exit 2). */
    static void checkPermissions(Flow flow, RunSettings s) {
        FlowPermissions p = flow.permissions();
        if (p == null) {
            return;
        }
        String reason = p.reason() == null ? "" : " Reason: " + p.reason();
        if (p.requireExplicitGrant() && !s.modeGiven()) {
            throw AcpxException.usage("Flow \"" + flow.name() + "\" requires an explicit " + p.requiredMode().wireName()
                    + " grant. Rerun with --" + p.requiredMode().wireName() + "." + reason);
        }
        if (rank(s.mode()) < rank(p.requiredMode())) {
            throw AcpxException.usage("Flow \"" + flow.name() + "\" requires permission mode "
                    + p.requiredMode().wireName() + ". Rerun with --" + p.requiredMode().wireName() + "." + reason);
        }
    }

    private static int rank(PermissionMode mode) {
        return switch (mode) {
            case DENY_ALL -> 0;
            case APPROVE_READS -> 1;
            case APPROVE_ALL -> 2;
        };
    }

    private Object input(String inputJson, String inputFile) {
        if (inputJson != null && inputFile != null) {
            throw AcpxException.usage("Use only one of --input-json or --input-file");
        }
        if (inputJson != null) {
            return parse(inputJson, "--input-json");
        }
        if (inputFile != null) {
            try {
                return parse(Files.readString(cwd.resolve(inputFile), StandardCharsets.UTF_8), "--input-file");
            } catch (IOException e) {
                throw AcpxException.usage("--input-file cannot be read: " + e.getMessage());
            }
        }
        return new java.util.LinkedHashMap<String, Object>();
    }

    private Object parse(String text, String flag) {
        try {
            return mapper.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw AcpxException.usage(flag + " must contain valid JSON: " + e.getOriginalMessage());
        }
    }

    /** SPEC-P2 §5.5: a completed or waiting run prints its result; a failed one is an error. */
    private int report(FlowRunResult r) {
        if (!r.succeeded()) {
            ErrorKind kind = r.errorKind() == null ? ErrorKind.RUNTIME : r.errorKind();
            if (kind != ErrorKind.TIMEOUT && kind != ErrorKind.INTERRUPTED) {
                kind = ErrorKind.RUNTIME;
            }
            throw new AcpxException(kind, r.error() == null ? "Flow run " + r.runId() + " " + r.status() : r.error());
        }
        new FlowResultOutput(out, format, mapper, pretty).print(r);
        return 0;
    }
}
