package dev.acpx.core.engine.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tool calls of one turn that a person approved and that may therefore do their own writing
 * without a second question (SPEC §6, "no double asking, no confused deputy"). ACP v1 gives
 * {@code fs/write_text_file} and {@code terminal/create} no tool call id, so a client method is
 * bound to an approval by what it touches:
 * <ul>
 * <li>a write, to an approved edit/delete/move call that lists the same real path among its
 *     locations; each location covers one write;</li>
 * <li>a terminal, to the most recent approved execute call not yet used; each covers one terminal.</li>
 * </ul>
 * Anything else is not covered and goes to the policy as an uncovered request.
 */
final class ApprovedCalls {
    private static final class Approval {
        final String toolCallId;
        final Set<Path> unwritten;
        boolean terminalUnused;

        Approval(String toolCallId, Set<Path> unwritten, boolean executes) {
            this.toolCallId = toolCallId;
            this.unwritten = unwritten;
            this.terminalUnused = executes;
        }
    }

    private final List<Approval> approvals = new ArrayList<>();

    /** Records an approval; {@code locations} are real paths inside the session directory. */
    synchronized void add(String toolCallId, boolean writes, boolean executes, List<Path> locations) {
        if (toolCallId == null || (!writes && !executes)) {
            return;
        }
        approvals.add(new Approval(toolCallId, writes ? new LinkedHashSet<>(locations) : new LinkedHashSet<>(),
                executes));
    }

    /** The approved call that covers a write of {@code realPath}, using up that location; null if none. */
    synchronized String claimWrite(Path realPath) {
        for (Approval a : approvals) {
            if (a.unwritten.remove(realPath)) {
                return a.toolCallId;
            }
        }
        return null;
    }

    /** The most recent approved execute call not yet used, now used; null if none. */
    synchronized String claimTerminal() {
        for (int i = approvals.size() - 1; i >= 0; i--) {
            Approval a = approvals.get(i);
            if (a.terminalUnused) {
                a.terminalUnused = false;
                return a.toolCallId;
            }
        }
        return null;
    }
}
