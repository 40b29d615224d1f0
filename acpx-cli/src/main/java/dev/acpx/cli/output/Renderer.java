package dev.acpx.cli.output;

import dev.acpx.api.AcpxException;
import dev.acpx.api.TurnListener;

/** Turns a turn's events into one output format, and reports the error that ended a command. */
public interface Renderer extends TurnListener {
    /** Print the error that ends the command, in this format's way. */
    void error(AcpxException error, boolean verbose);

    /** Finish any partial line; called once when the command ends. */
    void flush();

    /** A notice for humans (stderr), dropped in the formats that promise a clean stream. */
    void notice(String line);
}
