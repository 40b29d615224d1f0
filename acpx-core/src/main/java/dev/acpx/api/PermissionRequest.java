package dev.acpx.api;

import java.util.List;
import java.util.Locale;

/**
 * Something the agent wants that a {@link PermissionPolicy} decides: a tool call it asks about with
 * {@code session/request_permission}, or a client method it calls directly (a file read or write, a
 * terminal). The client methods carry no tool call id in ACP v1; the engine binds a write or a
 * terminal to an earlier approval of the same turn and names it in {@code approvedToolCallId}.
 */
public sealed interface PermissionRequest {

    /** The ACP session the request belongs to (may be null when the agent left it out). */
    String sessionId();

    /** A one-line description for questions and messages. */
    String label();

    /**
     * {@code session/request_permission}.
     *
     * @param kind     the agent's {@code toolCall.kind}, or null
     * @param toolName {@code rawInput.name|tool|toolName} when the agent sent one, else null
     * @param rawInput the tool call's raw input as JSON text, or null
     * @param locations the paths the call says it touches, as the agent wrote them
     */
    record ToolCall(String sessionId, String toolCallId, String title, String kind, String toolName, String rawInput,
                    List<String> locations, List<PermissionOption> options) implements PermissionRequest {
        public ToolCall {
            locations = locations == null ? List.of() : List.copyOf(locations);
            options = options == null ? List.of() : List.copyOf(options);
        }

        /** The older five-field form: no tool name, input or locations. */
        public ToolCall(String sessionId, String toolCallId, String title, String kind, List<PermissionOption> options) {
            this(sessionId, toolCallId, title, kind, null, null, List.of(), options);
        }

        /**
         * The kind the call has: the agent's, else the one its title's first word implies
         * (read|cat, search|find|grep, write|edit|patch, delete|remove, move|rename,
         * run|execute|bash, fetch|http|url, think; anything else is other), as the Node acpx infers it.
         */
        public String effectiveKind() {
            if (kind != null && !kind.isBlank()) {
                return kind.trim().toLowerCase(Locale.ROOT);
            }
            return switch (titleWord()) {
                case "read", "cat" -> "read";
                case "search", "find", "grep" -> "search";
                case "write", "edit", "patch" -> "edit";
                case "delete", "remove" -> "delete";
                case "move", "rename" -> "move";
                case "run", "execute", "bash" -> "execute";
                case "fetch", "http", "url" -> "fetch";
                case "think" -> "think";
                default -> "other";
            };
        }

        /** The first word of the title (split on {@code :} or whitespace), lower-cased; "" without a title. */
        public String titleWord() {
            if (title == null) {
                return "";
            }
            String[] words = title.trim().split("[:\\s]+");
            return words.length == 0 ? "" : words[0].toLowerCase(Locale.ROOT);
        }

        /**
         * Reads and searches: the kinds {@code approve-reads} allows without asking. Only the kind the
         * agent declared counts here, never one inferred from the title: a title is free text, and an
         * agent must not get a write approved by calling it "Read ...".
         */
        public boolean isReadLike() {
            String k = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
            return k.equals("read") || k.equals("search");
        }

        /** Kinds that change files (edit, delete, move): an approval of one covers its own writes. */
        public boolean writesFiles() {
            String k = effectiveKind();
            return k.equals("edit") || k.equals("delete") || k.equals("move");
        }

        /** The execute kind: an approval of one covers one terminal. */
        public boolean executes() {
            return effectiveKind().equals("execute");
        }

        @Override
        public String label() {
            return title != null ? title : toolCallId;
        }
    }

    /** {@code fs/read_text_file}; {@code path} is the real path inside the session directory. */
    record FileRead(String sessionId, String path) implements PermissionRequest {
        @Override
        public String label() {
            return "read " + path;
        }
    }

    /**
     * {@code fs/write_text_file}; {@code path} is the real path inside the session directory.
     *
     * @param approvedToolCallId the tool call of this turn whose approval (by a person) names this
     *                           path and covers this write, or null when none does
     */
    record FileWrite(String sessionId, String path, String content, String approvedToolCallId)
            implements PermissionRequest {
        @Override
        public String label() {
            return "write to " + path;
        }
    }

    /**
     * {@code terminal/create}.
     *
     * @param approvedToolCallId the execute tool call of this turn whose approval (by a person)
     *                           covers this terminal, or null when none does
     */
    record Terminal(String sessionId, String command, List<String> args, String cwd, String approvedToolCallId)
            implements PermissionRequest {
        public Terminal {
            args = args == null ? List.of() : List.copyOf(args);
        }

        /** The command line as the Node acpx shows it: {@code cmd "arg1" "arg2"} (args JSON-quoted). */
        public String commandLine() {
            StringBuilder line = new StringBuilder(command == null ? "" : command);
            for (String arg : args) {
                line.append(' ').append(PermissionQuestions.jsonQuote(arg));
            }
            return line.toString();
        }

        @Override
        public String label() {
            return "terminal command " + commandLine();
        }
    }
}
