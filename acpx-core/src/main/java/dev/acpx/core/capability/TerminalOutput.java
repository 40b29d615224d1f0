package dev.acpx.core.capability;

import dev.acpx.core.process.ExitStatus;

/**
 * What {@code terminal/output} answers: the retained output (the end of it, when {@code truncated}) and the
 * exit status once the command has exited, else null.
 */
public record TerminalOutput(String output, boolean truncated, ExitStatus exitStatusOrNull) {
}
