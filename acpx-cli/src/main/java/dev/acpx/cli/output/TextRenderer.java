package dev.acpx.cli.output;

import dev.acpx.api.AcpxException;
import dev.acpx.api.TurnEvent;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The default human format, laid out like the Node acpx's: the answer streams as it comes,
 * and thoughts, tool calls, plans and client operations appear as bracketed sections.
 */
public final class TextRenderer implements Renderer {
    static final String SUPPRESSED = "[read output suppressed]";
    private static final int MAX_THOUGHT_CHARS = 900;
    private static final int MAX_OUTPUT_LINES = 28;
    private static final int MAX_OUTPUT_CHARS = 2000;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean suppressReads;
    private final boolean verbose;
    private final StringBuilder thought = new StringBuilder();
    private final WireNotes wireNotes = new WireNotes(new com.fasterxml.jackson.databind.ObjectMapper());
    /** Per tool call: whether its start was printed, and the last final rendering (to skip repeats). */
    private final Map<String, String> printedTools = new HashMap<>();
    private boolean wroteAny;
    /** Whether any event of the turn arrived: then its failure belongs to the turn's output. */
    private boolean sawTurn;
    private boolean atLineStart = true;

    public TextRenderer(PrintStream out, PrintStream err, boolean suppressReads, boolean verbose) {
        this.out = out;
        this.err = err;
        this.suppressReads = suppressReads;
        this.verbose = verbose;
    }

    /**
     * Raw messages are read (the Node acpx prints its {@code [client]} and {@code [error]} lines from
     * them), agent stderr only with --verbose: a queue owner need not send it.
     */
    @Override
    public boolean wants(Class<? extends TurnEvent> kind) {
        return kind != TurnEvent.AgentStderr.class || verbose;
    }

    /**
     * The raw messages text output reads are requests and answers with their method or error near
     * the start; an agent's 50 MB update need not come (nor be copied) for them.
     */
    @Override
    public long maxWireChars() {
        return 1024 * 1024;
    }

    /** The updates' content arrives as typed events; their raw lines add nothing to text output. */
    @Override
    public boolean wantsUpdateWire() {
        return false;
    }

    @Override
    public synchronized void onEvent(TurnEvent event) {
        sawTurn = true;
        if (!(event instanceof TurnEvent.Thought) && !(event instanceof TurnEvent.Wire)
                && !(event instanceof TurnEvent.AgentStderr) && !(event instanceof TurnEvent.ClientOperation)
                && !(event instanceof TurnEvent.PermissionAsked)) {
            flushThought();
        }
        switch (event) {
            case TurnEvent.AgentText t -> write(t.text());
            case TurnEvent.Thought t -> thought.append(t.text());
            case TurnEvent.UserText t -> { }
            case TurnEvent.ToolCall t -> tool(t);
            case TurnEvent.Plan p -> {
                beginSection();
                writeLine("[plan]");
                p.entries().forEach(e -> writeLine("  - [" + Sanitize.line(e.status()) + "] "
                        + Sanitize.line(e.content())));
            }
            case TurnEvent.ModeChanged m -> { }
            // The Node acpx shows the agent's requests (permission questions, file and terminal use)
            // from the raw messages only: a [client] line per request, an [error] line per refusal.
            case TurnEvent.PermissionAsked p -> { }
            case TurnEvent.PermissionEscalated e -> escalation(e);
            case TurnEvent.ClientOperation op -> { }
            case TurnEvent.Signal s -> {
                beginSection();
                writeLine(SignalLines.line(s.signal()));
            }
            case TurnEvent.OtherUpdate o -> { }
            case TurnEvent.Wire w -> wire(w);
            case TurnEvent.AgentStderr s -> {
                if (verbose) {
                    err.println("[agent] " + Sanitize.line(s.line()));
                }
            }
            case TurnEvent.Done d -> {
                beginSection();
                writeLine("[done] " + Sanitize.line(String.valueOf(d.stopReason())));
            }
        }
        out.flush();
    }

    private void wire(TurnEvent.Wire w) {
        switch (wireNotes.read(w.json())) {
            case WireNotes.ClientMethod c -> {
                flushThought();
                beginSection();
                writeLine("[client] " + Sanitize.line(c.method()) + " (running)");
            }
            case WireNotes.ErrorAnswer e -> {
                flushThought();
                beginSection();
                String message = Sanitize.line(e.message());
                writeLine("[error] RUNTIME: " + message);
                String hint = Errors.acpAnswerHint(message);
                if (hint != null) {
                    writeLine(hint);
                }
            }
            case WireNotes.PermissionNotice n -> {
                beginSection();
                writeLine("[permission] " + Sanitize.line(n.text()));
            }
            case null -> { }
        }
    }

    private void escalation(TurnEvent.PermissionEscalated e) {
        beginSection();
        writeLine("[permission] " + e.message());
        field("sessionId", e.sessionId());
        field("toolCallId", e.toolCallId());
        field("toolName", e.toolName());
        field("toolTitle", e.toolTitle());
        field("toolInput", e.toolInput());
        field("toolKind", e.toolKind());
        field("matchedRule", e.matchedRule());
    }

    private void field(String name, String value) {
        if (value != null) {
            writeLine("  " + name + ": " + value);
        }
    }

    private void tool(TurnEvent.ToolCall t) {
        String key = t.toolCallId();
        if (!t.isFinal()) {
            if (printedTools.containsKey(key)) {
                return;
            }
            printedTools.put(key, "");
        }
        String output = t.isFinal() ? (suppressReads && t.readLike() ? SUPPRESSED : t.output()) : null;
        // Every field below comes from the agent: escapes are shown, never obeyed.
        String title = Sanitize.line(t.title() == null ? key : t.title());
        StringBuilder block = new StringBuilder();
        String status = t.isFinal() || "pending".equals(t.status()) ? t.status() : "running";
        block.append("[tool] ").append(title).append(" (").append(status).append(")\n");
        if (t.isFinal() && t.kind() != null) {
            block.append("  kind: ").append(Sanitize.line(t.kind())).append('\n');
        }
        if (t.input() != null) {
            block.append("  input: ").append(Sanitize.line(t.input())).append('\n');
        }
        if (!t.locations().isEmpty()) {
            block.append("  files: ").append(Sanitize.line(String.join(", ", t.locations()))).append('\n');
        }
        if (output != null && !output.isBlank()) {
            block.append("  output:\n").append(indent(limit(Sanitize.lines(output)), "    ")).append('\n');
        }
        String rendered = block.toString();
        if (t.isFinal()) {
            if (rendered.equals(printedTools.get(key))) {
                return;
            }
            printedTools.put(key, rendered);
        }
        beginSection();
        write(rendered);
    }

    private static String limit(String value) {
        String[] lines = value.replace("\r\n", "\n").strip().split("\n", -1);
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(lines.length, MAX_OUTPUT_LINES);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : "\n").append(lines[i]);
        }
        if (lines.length > shown) {
            sb.append("\n... (").append(lines.length - shown).append(" more lines)");
        }
        return sb.length() > MAX_OUTPUT_CHARS ? sb.substring(0, MAX_OUTPUT_CHARS - 3) + "..." : sb.toString();
    }

    private static String indent(String value, String prefix) {
        return prefix + value.replace("\n", "\n" + prefix);
    }

    private void flushThought() {
        String text = Sanitize.lines(thought.toString()).strip();
        thought.setLength(0);
        if (text.isEmpty()) {
            return;
        }
        if (text.length() > MAX_THOUGHT_CHARS) {
            text = text.substring(0, MAX_THOUGHT_CHARS - 3) + "...";
        }
        beginSection();
        String[] lines = text.split("\n");
        writeLine("[thinking] " + lines[0]);
        for (int i = 1; i < lines.length; i++) {
            writeLine("           " + lines[i]);
        }
    }

    private void beginSection() {
        if (!atLineStart) {
            write("\n");
        }
        if (wroteAny) {
            write("\n");
        }
    }

    private void write(String chunk) {
        if (chunk == null || chunk.isEmpty()) {
            return;
        }
        out.print(chunk);
        wroteAny = true;
        atLineStart = chunk.endsWith("\n");
    }

    private void writeLine(String line) {
        write(line + "\n");
    }

    @Override
    public synchronized void error(AcpxException error, boolean verbose) {
        flush();
        err.println(Errors.line(error));
        Errors.hint(error).ifPresent(err::println);
        if (verbose && error.detail() != null) {
            err.println(Errors.detail(error));
        }
    }

    /** As the Node acpx's formatter shows a queued turn's failure: an [error] section on stdout, then its hints. */
    @Override
    public synchronized void turnError(AcpxException error, boolean verbose) {
        if (!sawTurn) {
            // Nothing of the turn arrived (the owner never took it): a command error like any other.
            error(error, verbose);
            return;
        }
        flushThought();
        beginSection();
        writeLine("[error] " + Errors.code(error.kind()) + ": " + Errors.line(error));
        Errors.hint(error).ifPresent(this::writeLine);
        out.flush();
        if (verbose && error.detail() != null) {
            err.println(Errors.detail(error));
        }
    }

    @Override
    public synchronized void flush() {
        flushThought();
        if (!atLineStart) {
            write("\n");
        }
        out.flush();
    }

    @Override
    public void notice(String line) {
        err.println(line);
    }
}
