package dev.acpx.api;

/** The CLI's permission modes as policies: approve-all, approve-reads and deny-all. */
public final class PermissionPolicies {
    private PermissionPolicies() {}

    /** What to do when a policy would ask a human and there is nobody to ask. */
    public enum NonInteractive { DENY, FAIL }

    /** Asks a human a yes/no question; returns false on anything but yes. */
    @FunctionalInterface
    public interface Prompter {
        boolean confirm(String question);
    }

    public static PermissionPolicy approveAll() {
        return PermissionDecision::allow;
    }

    public static PermissionPolicy denyAll() {
        return PermissionDecision::deny;
    }

    /**
     * Allows reads and searches; asks {@code prompter} about the rest, or, when it is null
     * (no TTY), denies or fails as {@code nonInteractive} says.
     */
    public static PermissionPolicy approveReads(Prompter prompter, NonInteractive nonInteractive) {
        return request -> {
            if (request.isReadLike()) {
                return PermissionDecision.allow(request);
            }
            if (prompter == null) {
                if (nonInteractive == NonInteractive.FAIL) {
                    return new PermissionDecision.Fail(ErrorKind.PERMISSION_PROMPT_UNAVAILABLE,
                            "permission needed for \"" + request.title() + "\" but there is no TTY to ask;"
                                    + " rerun with --approve-all or --non-interactive-permissions deny");
                }
                return PermissionDecision.deny(request);
            }
            String title = request.title() == null ? request.toolCallId() : request.title();
            return prompter.confirm("Allow " + title + "? (y/N) ")
                    ? PermissionDecision.allow(request) : PermissionDecision.deny(request);
        };
    }

    /** The policy named by a CLI mode: {@code approve-all}, {@code approve-reads} or {@code deny-all}. */
    public static PermissionPolicy forMode(String mode, Prompter prompter, NonInteractive nonInteractive) {
        return switch (mode) {
            case "approve-all" -> approveAll();
            case "deny-all" -> denyAll();
            case "approve-reads" -> approveReads(prompter, nonInteractive);
            default -> throw AcpxException.usage("unknown permission mode '" + mode
                    + "'; use approve-all, approve-reads or deny-all");
        };
    }
}
