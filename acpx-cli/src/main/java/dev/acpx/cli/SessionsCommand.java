package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import dev.acpx.api.SessionInfo;
import dev.acpx.api.SessionList;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sessions [list|new|ensure|close|show|history|prune]}: the local session commands of SPEC §3. */
@Command(name = "sessions", description = "Manage sessions: list, new, ensure, close, show, history, prune",
        mixinStandardHelpOptions = true)
final class SessionsCommand extends VerbCommand {
    @Parameters(paramLabel = "ACTION [NAME]", arity = "0..*")
    List<String> args = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "Session name (new, ensure)")
    String name;

    @Option(names = {"-s", "--session"}, paramLabel = "NAME", description = "Session name")
    String session;

    @Option(names = "--limit", paramLabel = "K", description = "history: number of turns (default 20)")
    Integer limit;

    @Option(names = "--dry-run", description = "prune: only list what would be deleted")
    boolean dryRun;

    @Option(names = "--older-than", paramLabel = "DAYS", description = "prune: closed more than DAYS ago")
    Integer olderThan;

    @Option(names = "--before", paramLabel = "DATE", description = "prune: closed before DATE (ISO date or time)")
    String before;

    @Option(names = "--include-history", description = "prune: also delete the event logs")
    boolean includeHistory;

    /** The Node acpx 0.19.1 asks the agent for its sessions unless --local; ours always lists the records. */
    @Option(names = "--local", description = "list: only the local records (always the case here)")
    boolean local;

    @Override
    public Integer call() {
        String action = args.isEmpty() ? "list" : args.get(0);
        String target = args.size() > 1 ? args.get(1) : (session != null ? session : name);
        if (args.size() > 2) {
            throw AcpxException.usage("sessions " + action + " takes at most one name, got '" + args.get(2) + "'");
        }
        Path cwd = ctx.cwd(g);
        AgentRef agent = ctx.agent(g);
        var rt = ctx.runtime();
        switch (action) {
            case "list" -> {
                SessionList list = rt.listSessions(agent);
                list.problems().forEach(p -> ctx.fallbackRenderer(g).notice("[acpx] skipped unreadable record: " + p));
                LocalOutput.sessions(ctx, g, list.sessions());
            }
            case "new" -> LocalOutput.session(ctx, g, rt.newSession(agent, cwd, target));
            case "ensure" -> LocalOutput.session(ctx, g, rt.ensureSession(agent, cwd, target));
            case "show" -> LocalOutput.session(ctx, g, rt.showSession(agent, cwd, target));
            case "history" -> {
                int k = limit == null ? 20 : limit;
                if (k < 0) {
                    throw AcpxException.usage("--limit must be 0 or more, got " + k);
                }
                LocalOutput.history(ctx, g, rt.history(agent, cwd, target, k));
            }
            case "close" -> {
                SessionInfo closed = rt.closeSession(agent, cwd, target);
                LocalOutput.session(ctx, g, closed);
            }
            case "prune" -> {
                List<SessionInfo> pruned = rt.prune(agent, dryRun, cutoff(), includeHistory);
                if (!LocalOutput.json(ctx, g) && !LocalOutput.quiet(ctx, g)) {
                    ctx.err.println((dryRun ? "would delete " : "deleted ") + pruned.size() + " closed session(s)");
                }
                LocalOutput.sessions(ctx, g, pruned);
            }
            default -> throw AcpxException.usage("unknown sessions action '" + action
                    + "'; use list, new, ensure, close, show, history or prune");
        }
        return 0;
    }

    private Instant cutoff() {
        if (olderThan != null && before != null) {
            throw AcpxException.usage("pass --older-than or --before, not both");
        }
        if (olderThan != null) {
            if (olderThan < 0) {
                throw AcpxException.usage("--older-than must be 0 or more days, got " + olderThan);
            }
            return Instant.now().minusSeconds(olderThan * 86400L);
        }
        if (before != null) {
            try {
                return before.contains("T") ? Instant.parse(before)
                        : LocalDate.parse(before).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw AcpxException.usage("--before expects a date like 2026-01-31 or an ISO time, got '" + before + "'");
            }
        }
        return null;
    }
}
