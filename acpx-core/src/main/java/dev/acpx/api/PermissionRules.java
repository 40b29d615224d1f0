package dev.acpx.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A permission policy file ({@code --permission-policy} / {@code --policy}, SPEC-P2 §6): rules that
 * decide the agent's {@code session/request_permission} before the mode does. They never decide
 * the client methods (reads, writes, terminals): the mode alone governs those.
 *
 * <p>A rule matches when, lower-cased and trimmed, it is {@code *} or equals one of the request's
 * tokens: the effective kind, the raw kind, the full title, the tool name, the title's first word.
 * No globs, no substrings. Order: autoDeny, autoApprove, escalate, then defaultAction; when that
 * leaves nothing decided, the mode decides.
 *
 * @param defaultAction null when the policy sets none
 */
public record PermissionRules(List<String> autoApprove, List<String> autoDeny, List<String> escalate,
                              Action defaultAction) {

    /** What a rule, or the default, does. */
    public enum Action {
        APPROVE, DENY, ESCALATE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Action> fromWire(String value) {
            for (Action a : values()) {
                if (a.wireName().equals(value)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    /** What the rules say about one tool call; {@code matchedRule} is null when the default decided. */
    public record Resolution(Action action, String matchedRule) {}

    public PermissionRules {
        autoApprove = clean(autoApprove);
        autoDeny = clean(autoDeny);
        escalate = clean(escalate);
    }

    private static List<String> clean(List<String> rules) {
        return rules == null ? List.of() : rules.stream().map(String::trim).toList();
    }

    /**
     * Reads a policy as the flag gives it: inline JSON when it starts with <code>{</code> (after
     * trimming), else a file path resolved against {@code cwd}.
     *
     * @throws AcpxException USAGE with the Node acpx's message ("Invalid permission policy: ...")
     */
    public static PermissionRules parse(String flagValue, Path cwd) {
        return AcpxRuntimeProvider.find().parsePolicy(flagValue, cwd);
    }

    /** The rules' verdict on {@code call}, or empty when the mode has to decide. */
    public Optional<Resolution> resolve(PermissionRequest.ToolCall call) {
        List<String> tokens = tokens(call);
        for (Action action : new Action[] {Action.DENY, Action.APPROVE, Action.ESCALATE}) {
            List<String> rules = switch (action) {
                case DENY -> autoDeny;
                case APPROVE -> autoApprove;
                case ESCALATE -> escalate;
            };
            for (String rule : rules) {
                String r = rule.toLowerCase(Locale.ROOT);
                if (r.equals("*") || tokens.contains(r)) {
                    return Optional.of(new Resolution(action, rule));
                }
            }
        }
        return defaultAction == null ? Optional.empty() : Optional.of(new Resolution(defaultAction, null));
    }

    private static List<String> tokens(PermissionRequest.ToolCall call) {
        String name = call.toolName() != null ? call.toolName() : call.titleWord();
        return java.util.stream.Stream.of(call.effectiveKind(), call.kind(), call.title(), name, call.titleWord())
                .filter(t -> t != null && !t.isBlank()).map(t -> t.trim().toLowerCase(Locale.ROOT)).toList();
    }
}
