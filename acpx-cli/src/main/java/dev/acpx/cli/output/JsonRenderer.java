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
    private final ReadSanitizer sanitizer;
    private final String sessionLabel;
    private final ObjectMapper mapper = new ObjectMapper();

    public JsonRenderer(PrintStream out, PrintStream err, boolean strict, boolean suppressReads, String sessionLabel) {
        this.out = out;
        this.err = err;
        this.strict = strict;
        this.sanitizer = suppressReads ? new ReadSanitizer(mapper) : null;
        this.sessionLabel = sessionLabel;
    }

    @Override
    public synchronized void onEvent(TurnEvent event) {
        if (event instanceof TurnEvent.Wire w) {
            out.println(sanitizer == null ? w.json() : sanitizer.sanitize(w.direction(), w.json()));
            out.flush();
        } else if (event instanceof TurnEvent.AgentStderr s && !strict) {
            err.println("[agent] " + s.line());
        }
    }

    /** As the Node acpx: one JSON-RPC error line on stdout and nothing on stderr (--verbose adds the detail). */
    @Override
    public synchronized void error(AcpxException error, boolean verbose) {
        out.println(Errors.jsonRpc(error, sessionLabel, mapper).toString());
        out.flush();
        if (!strict && verbose && error.detail() != null) {
            err.println(error.detail());
        }
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
