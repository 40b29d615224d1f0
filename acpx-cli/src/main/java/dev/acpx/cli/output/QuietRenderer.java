package dev.acpx.cli.output;

import dev.acpx.api.AcpxException;
import dev.acpx.api.TurnEvent;
import java.io.PrintStream;

/** Only the assistant's final text, printed once the turn is done. */
public final class QuietRenderer implements Renderer {
    private final PrintStream out;
    private final PrintStream err;
    private final StringBuilder text = new StringBuilder();
    private boolean printed;

    public QuietRenderer(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Neither raw messages nor agent stderr are ever printed here. */
    @Override
    public boolean wants(Class<? extends TurnEvent> kind) {
        return kind != TurnEvent.Wire.class && kind != TurnEvent.AgentStderr.class;
    }

    @Override
    public synchronized void onEvent(TurnEvent event) {
        switch (event) {
            case TurnEvent.AgentText t -> text.append(t.text());
            case TurnEvent.Done d -> print(true);
            default -> { }
        }
    }

    private void print(boolean evenIfEmpty) {
        if (printed || (text.isEmpty() && !evenIfEmpty)) {
            return;
        }
        printed = true;
        String s = text.toString();
        out.print(s.endsWith("\n") ? s : s + "\n");
        out.flush();
    }

    @Override
    public synchronized void error(AcpxException error, boolean verbose) {
        print(false);
        String detailCode = Errors.detailCode(error);
        err.println("[acpx] error: " + Errors.code(error.kind()) + (detailCode == null ? "" : " " + detailCode) + " " + Sanitize.line(
                Errors.quietMessage(error, new com.fasterxml.jackson.databind.ObjectMapper()).replaceAll("\\R", " ")));
        if (verbose && error.detail() != null) {
            err.println(Errors.detail(error));
        }
    }

    /** As the Node acpx: exit 5 reads as an error line in quiet mode, where no refusal was shown. */
    @Override
    public synchronized void permissionDenied() {
        error(new AcpxException(dev.acpx.api.ErrorKind.PERMISSION_DENIED, "Permission request denied or cancelled"),
                false);
    }

    @Override
    public synchronized void flush() {
        print(false);
    }

    @Override
    public void notice(String line) {
        // quiet: only the answer
    }
}
