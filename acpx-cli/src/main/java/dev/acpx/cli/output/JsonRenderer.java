package dev.acpx.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.TurnEvent;
import java.io.PrintStream;

/**
 * Every ACP message verbatim, one per line. Nothing is wrapped or renamed; only
 * {@code --suppress-reads} rewrites file contents, and errors add one JSON-RPC error object.
 */
public final class JsonRenderer implements Renderer {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean strict;
    private final boolean verbose;
    private final ReadSanitizer sanitizer;
    private volatile String sessionLabel;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonRpcLines jsonRpc = new JsonRpcLines(mapper.getFactory());

    public JsonRenderer(PrintStream out, PrintStream err, boolean strict, boolean verbose, boolean suppressReads,
                        String sessionLabel) {
        this.out = out;
        this.err = err;
        this.strict = strict;
        this.verbose = verbose;
        this.sanitizer = suppressReads ? new ReadSanitizer(mapper) : null;
        this.sessionLabel = sessionLabel;
    }

    /** Agent stderr only with --verbose (and never with --json-strict), as in the text format. */
    @Override
    public boolean wants(Class<? extends TurnEvent> kind) {
        return kind != TurnEvent.AgentStderr.class || (verbose && !strict);
    }

    @Override
    public synchronized void onEvent(TurnEvent event) {
        if (event instanceof TurnEvent.Wire w) {
            // Only JSON-RPC messages reach stdout; the agent's other lines are reported (as malformed
            // output, on stderr outside --json-strict) by the connection itself.
            if (w.direction() == TurnEvent.Direction.FROM_AGENT && !jsonRpc.isMessage(w.json())) {
                return;
            }
            out.println(sanitizer == null ? w.json() : sanitizer.sanitize(w.direction(), w.json()));
            out.flush();
        } else if (event instanceof TurnEvent.AgentStderr s && !strict && wants(TurnEvent.AgentStderr.class)) {
            err.println("[agent] " + Sanitize.line(s.line()));
        }
    }

    /** As the Node acpx: one JSON-RPC error line on stdout and nothing on stderr (--verbose adds the detail). */
    @Override
    public synchronized void error(AcpxException error, boolean verbose) {
        out.println(Errors.jsonRpc(error, sessionLabel, mapper).toString());
        out.flush();
        if (!strict && verbose && error.detail() != null) {
            err.println(Errors.detail(error));
        }
    }

    @Override
    public void session(String recordId) {
        sessionLabel = recordId;
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void notice(String line) {
        if (!strict) {
            err.println(line);
        }
    }
}
