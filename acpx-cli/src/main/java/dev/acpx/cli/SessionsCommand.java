package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.AgentSessionList;
import dev.acpx.api.SessionList;
import dev.acpx.api.SessionOpened;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sessions [list|new|ensure|close|show|history|prune]}: the local session commands of SPEC
 * §3, printing what the Node acpx 0.19.1 prints (see {@link LocalOutput}).
 */
@Command(name = "sessions", description = "Manage sessions: list, new, ensure, close, show, history, prune",
        mixinStandardHelpOptions = true)
final class SessionsCommand extends VerbCommand {
    @Parameters(paramLabel = "ACTION [NAME]", arity = "0..*")
    List<String> args = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "Session name (new, ensure)")
    String name;

    @Option(names = {"-s", "--session"}, paramLabel = "NAME", description = "Session name")
    String session;

    @Option(names = "--resume-session", paramLabel = "ID", description = "new, ensure: adopt the agent's existing session ID")
    String resumeSession;

    @Option(names = "--limit", paramLabel = "K", description = "history: number of entries (default 20)")
    String limit;

    @Option(names = "--dry-run", description = "prune: only list what would be deleted")
    boolean dryRun;

    @Option(names = "--older-than", paramLabel = "DAYS", description = "prune: closed more than DAYS ago")
    String olderThan;

    @Option(names = "--before", paramLabel = "DATE", description = "prune: closed before DATE (ISO date or time)")
    String before;

    @Option(names = "--include-history", description = "prune: also delete the event logs")
    boolean includeHistory;

    @Option(names = "--local", description = "list: only the local records, without asking the agent")
    boolean local;

    @Option(names = "--fleet", description = "list: the live sessions of every host of the fleet (docs/FLEET.md)")
    boolean fleet;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "list: the agent's session/list cursor")
    String cursor;

    @Option(names = "--filter-cwd", paramLabel = "DIR", description = "list: the agent's sessions for DIR only")
    String filterCwd;

    @Option(names = "--output", paramLabel = "PATH", description = "export: the archive file to write")
    String output;

    /** export/import: their own --cwd (Cli hands it over under this name; see Cli#localCwd). */
    @Option(names = "--session-cwd", hidden = true)
    String sessionCwd;

    @Option(names = "--tail", paramLabel = "N", description = "read: only the last N entries")
    String tail;

    @Override
    public Integer call() {
        String action = args.isEmpty() ? "list" : args.get(0);
        String target = args.size() > 1 ? args.get(1) : (session != null ? session : name);
        if (args.size() > 2) {
            throw AcpxException.usage("sessions " + action + " takes at most one name, got '" + args.get(2) + "'");
        }
        if (target != null && target.trim().isEmpty()) {
            throw AcpxException.usage("Session name must not be empty");
        }
        target = target == null ? null : target.trim();
        if (resumeSession != null && resumeSession.trim().isEmpty()) {
            throw AcpxException.usage("Resume session id must not be empty");
        }
        String resumeId = resumeSession == null ? null : resumeSession.trim();
        Path cwd = ctx.cwd(g);
        AgentRef agent = ctx.agent(g);
        LocalOutput out = new LocalOutput(ctx, g);
        var rt = ctx.runtime();
        switch (action) {
            case "list" -> list(out, agent, cwd);
            case "new" -> {
                SessionOpened opened = rt.newSession(agent, cwd, target, ctx.timeout(g), SessionFlags.agentOptions(g), resumeId);
                out.createdBanner(opened.session(), Context.agentLabel(agent), g.jsonStrict);
                out.newSession(opened);
            }
            case "ensure" -> {
                SessionOpened opened = rt.ensureSession(agent, cwd, target, ctx.timeout(g), SessionFlags.agentOptions(g), resumeId);
                if (opened.created()) {
                    out.createdBanner(opened.session(), Context.agentLabel(agent), g.jsonStrict);
                }
                out.ensuredSession(opened);
            }
            case "show" -> new SessionDetails(out).show(rt.showSession(agent, cwd, target));
            case "history" -> {
                int k = historyLimit();
                new SessionDetails(out).history(rt.showSession(agent, cwd, target), k);
            }
            case "close" -> out.closed(rt.closeSession(agent, cwd, target));
            case "read" -> {
                int k = tail == null ? Integer.MAX_VALUE : positive(tail);
                var s = rt.exactSession(agent, cwd, target, Context.agentLabel(agent));
                new SessionDetails(out).history(s.recordId(), s.acpSessionId(), out.disk(s), k, tail == null ? 0 : k);
            }
            case "watch" -> {
                String from = nonEmpty("Cursor", cursor);
                var s = rt.exactSession(agent, cwd, target, Context.agentLabel(agent));
                try {
                    new SessionsWatch(out, g.suppressReads).run(rt.sessionEvents(), s.recordId(), from, ctx.call);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            case "export" -> new SessionsExport(ctx, out).run(agent,
                    sessionCwd == null ? cwd : cwd.resolve(nonEmpty("Session cwd", sessionCwd)).normalize(), target,
                    nonEmpty("Output path", output));
            case "import" -> new SessionsImport(ctx, out).run(agent, cwd, args.size() > 1 ? args.get(1) : null,
                    session != null ? session : name, nonEmpty("Imported session cwd", sessionCwd));
            case "prune" -> new Prune(ctx, out).run(agent, dryRun, before, olderThan, includeHistory);
            default -> throw AcpxException.usage("unknown sessions action '" + action
                    + "'; use list, new, ensure, close, show, history, read, watch, export, import or prune");
        }
        return 0;
    }

    /** SPEC-P2 §3: the agent's own list unless --local; the local records when it offers none. */
    private void list(LocalOutput out, AgentRef agent, Path cwd) {
        FlowCommand.reapDeadRuns(ctx, line -> ctx.fallbackRenderer(g).notice(line));
        String cursorValue = nonEmpty("Cursor", cursor);
        String filter = nonEmpty("Filter cwd", filterCwd);
        String filterAbs = filter == null ? null : cwd.resolve(filter).normalize().toString();
        var rt = ctx.runtime();
        if (fleet) {
            if (local || cursorValue != null || filter != null) {
                throw AcpxException.usage("--fleet cannot be combined with --local, --cursor or --filter-cwd");
            }
            FleetList.print(out, rt.fleetSessions());
            return;
        }
        if (local) {
            if (cursorValue != null) {
                throw AcpxException.usage("--cursor cannot be combined with --local");
            }
            printLocal(out, agent, filterAbs);
            return;
        }
        ctx.closeAfterAnswer = true;
        AgentSessionList listed = rt.listAgentSessions(agent, cwd, cursorValue, filterAbs, ctx.timeout(g));
        switch (listed.outcome()) {
            case LISTED -> new AgentSessions(out).print(listed.json());
            case UNSUPPORTED -> {
                if (cursorValue != null || filter != null) {
                    throw AcpxException.runtime("Agent command \"" + agent.command() + "\" does not advertise"
                            + " sessionCapabilities.list; cannot use agent-side session/list filters");
                }
                printLocal(out, agent, null);
            }
            case SPAWN_FAILED -> printLocal(out, agent, null);
        }
    }

    private void printLocal(LocalOutput out, AgentRef agent, String filterAbs) {
        SessionList list = ctx.runtime().listSessions(agent);
        list.problems().forEach(p -> ctx.fallbackRenderer(g).notice("[acpx] skipped unreadable record: " + p));
        out.sessions(filterAbs == null ? list.sessions()
                : list.sessions().stream().filter(s -> filterAbs.equals(s.cwd())).toList());
    }

    /** The Node acpx trims values and refuses empty ones with "<Label> must not be empty". */
    private static String nonEmpty(String label, String value) {
        if (value == null) {
            return null;
        }
        if (value.trim().isEmpty()) {
            throw AcpxException.usage(label + " must not be empty");
        }
        return value.trim();
    }

    private int historyLimit() {
        return limit == null ? 20 : positive(limit);
    }

    private static int positive(String value) {
        try {
            int k = Integer.parseInt(value.trim());
            if (k > 0) {
                return k;
            }
        } catch (NumberFormatException e) {
            // the same message below
        }
        throw AcpxException.usage("Limit must be a positive integer");
    }
}
