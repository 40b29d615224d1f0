package dev.acpx.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rule matching, rule order and the policies' answers to every kind of request (SPEC-P2 §6, §9). */
class PermissionRulesTest {

    static PermissionRequest.ToolCall call(String kind, String title, String toolName) {
        return new PermissionRequest.ToolCall("s", "t1", title, kind, toolName, null, List.of(),
                List.of(new PermissionOption("a", "Allow", "allow_once"), new PermissionOption("r", "Reject", "reject_once")));
    }

    static PermissionRules rules(List<String> approve, List<String> deny, List<String> escalate,
                                 PermissionRules.Action defaultAction) {
        return new PermissionRules(approve, deny, escalate, defaultAction);
    }

    private static Optional<PermissionRules.Action> action(PermissionRules r, PermissionRequest.ToolCall c) {
        return r.resolve(c).map(PermissionRules.Resolution::action);
    }

    @Test
    void everyTokenMatchesWholeAndCaseInsensitively() {
        PermissionRequest.ToolCall c = call("execute", "Bash: ls -la", "Shell");
        for (String rule : List.of("execute", "EXECUTE", " Bash: ls -la ", "shell", "bash", "*")) {
            assertEquals(Optional.of(PermissionRules.Action.DENY), action(rules(null, List.of(rule), null, null), c), rule);
        }
        for (String rule : List.of("bas", "ls", "Bash:", "exec", "Bash: ls")) {
            assertEquals(Optional.empty(), action(rules(null, List.of(rule), null, null), c), rule);
        }
    }

    @Test
    void theKindIsInferredFromTheTitleWhenTheAgentSentNone() {
        assertEquals("delete", call(null, "Remove junk", null).effectiveKind());
        assertEquals("execute", call(null, "run: make", null).effectiveKind());
        assertEquals("read", call(null, "cat file", null).effectiveKind());
        assertEquals("other", call(null, "Frobnicate", null).effectiveKind());
        assertEquals(Optional.of(PermissionRules.Action.APPROVE),
                action(rules(List.of("delete"), null, null, null), call(null, "Remove junk", null)));
        // Without a tool name, the title's first word is the tool name.
        assertEquals(Optional.of(PermissionRules.Action.APPROVE),
                action(rules(List.of("remove"), null, null, null), call("delete", "Remove junk", null)));
    }

    @Test
    void orderIsDenyThenApproveThenEscalateThenDefault() {
        PermissionRequest.ToolCall c = call("edit", "Edit a", null);
        assertEquals(Optional.of(PermissionRules.Action.DENY),
                action(rules(List.of("edit"), List.of("*"), List.of("edit"), PermissionRules.Action.APPROVE), c));
        assertEquals(Optional.of(PermissionRules.Action.APPROVE),
                action(rules(List.of("*"), List.of("read"), List.of("edit"), PermissionRules.Action.DENY), c));
        assertEquals(Optional.of(PermissionRules.Action.ESCALATE),
                action(rules(List.of("read"), null, List.of("edit"), PermissionRules.Action.DENY), c));
        assertEquals(new PermissionRules.Resolution(PermissionRules.Action.DENY, null),
                rules(null, null, null, PermissionRules.Action.DENY).resolve(c).orElseThrow());
        assertEquals(Optional.empty(), action(rules(null, null, null, null), c));
    }

    @Test
    void aRuleDecisionBeatsTheModeButNeverDecidesClientMethods() {
        List<String> asked = new ArrayList<>();
        PermissionPolicies.Prompter yes = q -> asked.add(q);
        PermissionPolicy policy = new PermissionSettings(PermissionMode.DENY_ALL, NonInteractivePermissions.DENY,
                rules(List.of("*"), null, null, null)).policy(yes);
        assertInstanceOf(PermissionDecision.Allow.class, policy.decide(call("edit", "Edit a", null)));
        assertInstanceOf(PermissionDecision.Deny.class, policy.decide(
                new PermissionRequest.FileWrite("s", "/w/a", "x", null)));
        assertInstanceOf(PermissionDecision.Deny.class, policy.decide(
                new PermissionRequest.Terminal("s", "sh", List.of("-c", "x"), null, null)));
        assertInstanceOf(PermissionDecision.Deny.class, policy.decide(new PermissionRequest.FileRead("s", "/w/a")));
        assertEquals(List.of(), asked);
    }

    @Test
    void escalateAsksThePersonOrReportsTheEscalation() {
        PermissionRules escalate = rules(null, null, List.of("bash"), null);
        List<String> asked = new ArrayList<>();
        PermissionPolicy atTerminal = PermissionPolicies.withRules(escalate, PermissionPolicies.denyAll(),
                q -> asked.add(q));
        assertEquals(new PermissionDecision.Allow(true), atTerminal.decide(call("execute", "Bash: ls", null)));
        assertEquals(List.of("\n[permission] Allow Bash: ls [execute]? (y/N) "), asked);
        PermissionPolicy noTerminal = PermissionPolicies.withRules(escalate, PermissionPolicies.approveAll(), null);
        assertEquals(new PermissionDecision.Escalated("bash"), noTerminal.decide(call("execute", "Bash: ls", null)));
    }

    @Test
    void approveReadsAsksForWritesAndTerminalsUnlessAPersonsApprovalCoversThem() {
        List<String> asked = new ArrayList<>();
        PermissionPolicy policy = PermissionPolicies.approveReads(q -> {
            asked.add(q);
            return false;
        }, NonInteractivePermissions.DENY);
        assertInstanceOf(PermissionDecision.Allow.class, policy.decide(call("read", "Read a", null)));
        // A title is free text: without a declared read kind the call is asked about.
        assertInstanceOf(PermissionDecision.Deny.class, policy.decide(call(null, "Read a", null)));
        assertEquals("Allow Read a? (y/N) ", asked.remove(0));
        assertInstanceOf(PermissionDecision.Allow.class, policy.decide(new PermissionRequest.FileRead("s", "/w/a")));
        assertInstanceOf(PermissionDecision.Deny.class, policy.decide(
                new PermissionRequest.FileWrite("s", "/w/a", "one\ntwo", null)));
        assertEquals("\n[permission] Allow write to /w/a?\none\ntwo\nAllow write? (y/N) ", asked.get(0));
        assertInstanceOf(PermissionDecision.Deny.class, policy.decide(
                new PermissionRequest.Terminal("s", "/bin/sh", List.of("-c", "echo \"hi\""), null, null)));
        assertEquals("\n[permission] Allow terminal command \"/bin/sh \"-c\" \"echo \\\"hi\\\"\"\"? (y/N) ",
                asked.get(1));
        assertEquals(new PermissionDecision.Allow(true), policy.decide(
                new PermissionRequest.FileWrite("s", "/w/a", "x", "t-edit")));
        assertEquals(2, asked.size(), "a covered write is not asked again");

        PermissionPolicy failing = PermissionPolicies.approveReads(null, NonInteractivePermissions.FAIL);
        PermissionDecision.Fail f = assertInstanceOf(PermissionDecision.Fail.class, failing.decide(
                new PermissionRequest.Terminal("s", "ls", List.of(), null, null)));
        assertEquals("Permission prompt unavailable in non-interactive mode", f.message());
        assertTrue(PermissionPolicies.approveReads(null, NonInteractivePermissions.DENY)
                .decide(new PermissionRequest.FileWrite("s", "/w/a", "x", null)) instanceof PermissionDecision.Deny);
    }
}
