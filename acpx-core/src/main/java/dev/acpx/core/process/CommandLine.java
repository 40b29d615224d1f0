package dev.acpx.core.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A command split into argv the way a POSIX shell splits words, without any expansion:
 * single quotes are literal, double quotes honour backslash before {@code " \ $ `} and newline,
 * a backslash outside quotes escapes the next character, and unquoted whitespace separates words.
 */
public record CommandLine(List<String> argv) {

    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    public CommandLine {
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("command line is empty: give at least the program to run");
        }
    }

    /** Splits {@code commandLine}; throws IllegalArgumentException on an unterminated quote or an empty line. */
    public static CommandLine parse(String commandLine) {
        Objects.requireNonNull(commandLine, "commandLine");
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        // A word exists once anything (even an empty quote pair) was seen, so '' yields an empty argument.
        boolean inWord = false;
        int i = 0;
        int n = commandLine.length();
        while (i < n) {
            char c = commandLine.charAt(i);
            if (c == '\'') {
                int end = commandLine.indexOf('\'', i + 1);
                if (end < 0) {
                    throw unterminated("single", i, commandLine);
                }
                word.append(commandLine, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = readDoubleQuoted(commandLine, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < n) {
                    char next = commandLine.charAt(i + 1);
                    // Backslash-newline is a line continuation in sh: it disappears.
                    if (next != '\n') {
                        word.append(next);
                        inWord = true;
                    }
                    i += 2;
                } else {
                    // A trailing lone backslash has nothing to escape; keep it literally.
                    word.append('\\');
                    inWord = true;
                    i++;
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("command line is empty: give at least the program to run");
        }
        return new CommandLine(words);
    }

    private static int readDoubleQuoted(String s, int open, StringBuilder word) {
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(i + 1);
                if (next == '"' || next == '\\' || next == '$' || next == '`') {
                    word.append(next);
                    i += 2;
                    continue;
                }
                if (next == '\n') {
                    i += 2;
                    continue;
                }
            }
            word.append(c);
            i++;
        }
        throw unterminated("double", open, s);
    }

    private static IllegalArgumentException unterminated(String kind, int position, String line) {
        return new IllegalArgumentException("unterminated " + kind + " quote at position " + position
                + " in command line: " + line + " (close the quote or escape it with a backslash)");
    }

    /** The program, argv[0]. */
    public String program() {
        return argv.get(0);
    }

    /** A copy-pasteable rendering: words that need it are single-quoted, so parse(display()) gives argv back. */
    public String display() {
        StringBuilder out = new StringBuilder();
        for (String arg : argv) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(quote(arg));
        }
        return out.toString();
    }

    /** Quotes one word for a POSIX shell. */
    public static String quote(String word) {
        if (SAFE_WORD.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return display();
    }
}
