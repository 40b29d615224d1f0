package dev.acpx.api;

/**
 * The CLI's permission modes as policies. Each decides every kind of {@link PermissionRequest}:
 * tool calls the agent asks about, and the client methods it calls (reads, writes, terminals).
 */
public final class PermissionPolicies {
    private PermissionPolicies() {}

    /**
     * Asks a person a yes/no question (the text ends with {@code (y/N) }); returns false on
     * anything but yes, on end of input and when the person cannot be reached.
     */
    @FunctionalInterface
    public interface Prompter {
        boolean confirm(String question);

        /**
         * Asks for one line of text (the question ends with its prompt, e.g. {@code ": "}); null on
         * end of input or when this prompter cannot take text. Default: cannot.
         */
        default String answer(String question) {
            return null;
        }
    }

    /** {@code policy}, telling that {@code person} is who it asks (see {@link PermissionPolicy#person()}). */
    public static PermissionPolicy askingThrough(PermissionPolicy policy, Prompter person) {
        if (person == null) {
            return policy;
        }
        return new PermissionPolicy() {
            @Override
            public PermissionDecision decide(PermissionRequest request) {
                return policy.decide(request);
            }

            @Override
            public Prompter person() {
                return person;
            }
        };
    }

    /** Allows everything: tool calls, reads, writes, terminals. */
    public static PermissionPolicy approveAll() {
        return request -> new PermissionDecision.Allow(false);
    }

    /** Refuses everything, file reads included. */
    public static PermissionPolicy denyAll() {
        return request -> new PermissionDecision.Deny();
    }

    /**
     * Allows reads and searches (tool calls of those kinds, and file reads); asks {@code prompter}
     * about everything else: other tool calls, each write not covered by a person's approval of
     * its own tool call, each terminal not covered likewise. With no {@code prompter} (no TTY) it
     * denies, or fails as {@code nonInteractive} says.
     */
    public static PermissionPolicy approveReads(Prompter prompter, NonInteractivePermissions nonInteractive) {
        return request -> switch (request) {
            case PermissionRequest.FileRead read -> new PermissionDecision.Allow(false);
            case PermissionRequest.ToolCall call -> call.isReadLike() ? new PermissionDecision.Allow(false)
                    : ask(prompter, nonInteractive, PermissionQuestions.toolCall(call),
                    "permission needed for \"" + call.label() + "\" but there is no TTY to ask;"
                            + " rerun with --approve-all or --non-interactive-permissions deny");
            case PermissionRequest.FileWrite write -> write.approvedToolCallId() != null
                    ? new PermissionDecision.Allow(true)
                    : ask(prompter, nonInteractive, PermissionQuestions.write(write), UNAVAILABLE);
            case PermissionRequest.Terminal terminal -> terminal.approvedToolCallId() != null
                    ? new PermissionDecision.Allow(true)
                    : ask(prompter, nonInteractive, PermissionQuestions.terminal(terminal), UNAVAILABLE);
        };
    }

    /** The Node acpx's words when a client method would need a question and there is no TTY. */
    static final String UNAVAILABLE = "Permission prompt unavailable in non-interactive mode";

    private static PermissionDecision ask(Prompter prompter, NonInteractivePermissions nonInteractive, String question,
                                          String unavailable) {
        if (prompter == null) {
            return nonInteractive == NonInteractivePermissions.FAIL
                    ? new PermissionDecision.Fail(ErrorKind.PERMISSION_PROMPT_UNAVAILABLE, unavailable)
                    : new PermissionDecision.Deny();
        }
        return prompter.confirm(question) ? new PermissionDecision.Allow(true) : new PermissionDecision.Deny();
    }

    /** The policy of a mode; {@code prompter} null means nobody can be asked. */
    public static PermissionPolicy forMode(PermissionMode mode, Prompter prompter,
                                           NonInteractivePermissions nonInteractive) {
        return switch (mode) {
            case APPROVE_ALL -> approveAll();
            case DENY_ALL -> denyAll();
            case APPROVE_READS -> approveReads(prompter, nonInteractive);
        };
    }

    /**
     * A policy file's rules in front of {@code fallback} (the mode): tool calls the rules decide are
     * decided by them (escalate asks {@code prompter}, or without one refuses and reports the
     * escalation); everything else, client methods included, goes to {@code fallback}.
     */
    public static PermissionPolicy withRules(PermissionRules rules, PermissionPolicy fallback, Prompter prompter) {
        return request -> {
            if (!(request instanceof PermissionRequest.ToolCall call)) {
                return fallback.decide(request);
            }
            var resolution = rules.resolve(call);
            if (resolution.isEmpty()) {
                return fallback.decide(request);
            }
            return switch (resolution.get().action()) {
                case APPROVE -> new PermissionDecision.Allow(false);
                case DENY -> new PermissionDecision.Deny();
                case ESCALATE -> prompter == null ? new PermissionDecision.Escalated(resolution.get().matchedRule())
                        : prompter.confirm(PermissionQuestions.escalation(call)) ? new PermissionDecision.Allow(true)
                        : new PermissionDecision.Deny();
            };
        };
    }
}
