package dev.acpx.cli.output;

import dev.acpx.api.AcpxException;
import dev.acpx.api.TurnListener;

/** Turns a turn's events into one output format, and reports the error that ended a command. */
public interface Renderer extends TurnListener {
    /** Print the error that ends the command, in this format's way. */
    void error(AcpxException error, boolean verbose);

    /**
     * Print the error that ended a queued turn ({@code prompt}): the Node acpx shows it through the
     * turn's formatter, so in text mode it is an {@code [error]} section on stdout, not a stderr line.
     */
    default void turnError(AcpxException error, boolean verbose) {
        error(error, verbose);
    }

    /** The record id of the session this command works on, which json errors carry as {@code data.sessionId}. */
    default void session(String recordId) {
    }

    /** The turn ends with exit 5 because every permission asked was refused (only quiet mode says so). */
    default void permissionDenied() {
    }

    /** Finish any partial line; called once when the command ends. */
    void flush();

    /** A notice for humans (stderr), dropped in the formats that promise a clean stream. */
    void notice(String line);
}
