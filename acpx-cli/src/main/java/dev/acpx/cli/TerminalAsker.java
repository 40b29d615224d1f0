package dev.acpx.cli;

import dev.acpx.api.PermissionPolicies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Asks the person at this process's terminal: the question on stderr, the answer from stdin, as the
 * Node acpx asks. Only when stdin and stderr are both terminals (SPEC-P2 §9): a script that pipes
 * either is never asked. Questions are serialized; end of input answers no. The answer is read a
 * byte at a time from the one stdin stream, so answers typed ahead for later questions are kept.
 */
final class TerminalAsker implements PermissionPolicies.Prompter {
    private final InputStream stdin;
    private final PrintStream err;

    TerminalAsker(InputStream stdin, PrintStream err) {
        this.stdin = stdin;
        this.err = err;
    }

    @Override
    public synchronized boolean confirm(String question) {
        synchronized (err) {
            err.print(question);
            err.flush();
        }
        String answer = readLine();
        return answer != null && switch (answer.trim().toLowerCase(Locale.ROOT)) {
            case "y", "yes" -> true;
            default -> false;
        };
    }

    /** A line of text (an elicitation's form field); null at end of input. */
    @Override
    public synchronized String answer(String question) {
        synchronized (err) {
            err.print(question);
            err.flush();
        }
        return readLine();
    }

    private String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = stdin.read()) >= 0) {
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        } catch (IOException e) {
            return null;
        }
        return line.size() > 0 ? line.toString(StandardCharsets.UTF_8) : null;
    }
}
