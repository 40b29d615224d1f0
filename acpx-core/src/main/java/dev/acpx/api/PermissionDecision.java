package dev.acpx.api;

import java.util.Comparator;
import java.util.Optional;

/** A policy's answer to a permission request. */
public sealed interface PermissionDecision {

    /** Answer with one of the offered options. */
    record Select(String optionId, boolean granted) implements PermissionDecision {}

    /** Answer {@code cancelled}: nothing chosen. */
    record Cancel() implements PermissionDecision {}

    /** Abort the turn: the policy cannot decide (for example no TTY under {@code fail}). */
    record Fail(ErrorKind kind, String message) implements PermissionDecision {}

    /** Grant, preferring a one-time allow; cancel when the agent offers no allow option. */
    static PermissionDecision allow(PermissionRequest request) {
        return pick(request, true).<PermissionDecision>map(o -> new Select(o.optionId(), true))
                .orElseGet(Cancel::new);
    }

    /** Refuse, preferring a one-time reject; cancel when the agent offers no reject option. */
    static PermissionDecision deny(PermissionRequest request) {
        return pick(request, false).<PermissionDecision>map(o -> new Select(o.optionId(), false))
                .orElseGet(Cancel::new);
    }

    private static Optional<PermissionOption> pick(PermissionRequest request, boolean allow) {
        return request.options().stream()
                .filter(o -> allow ? o.allows() : o.rejects())
                .min(Comparator.comparing(o -> o.kind().endsWith("_once") ? 0 : 1));
    }
}
