package dev.acpx.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Splits argv into the Node acpx grammar {@code [global options] [<agent>] [verb] [args]}, which
 * picocli cannot express on its own: the token after the global options is a verb, or else an
 * agent name (built-in, configured or raw) followed by a verb or an implicit prompt.
 */
record ArgScanner(List<String> globals, String agentToken, String verb, List<String> rest, boolean verbExplicit) {

    static final Set<String> VERBS = Set.of("prompt", "exec", "cancel", "set-mode", "set", "sessions",
            "status", "config", "help", "compare", "flow");
    static final Set<String> VALUE_FLAGS = Set.of("--agent", "--cwd", "--non-interactive-permissions",
            "--format", "--timeout", "--ttl", "--model", "--auth-policy", "--permission-policy", "--policy",
            "--allowed-tools", "--max-turns", "--system-prompt", "--append-system-prompt", "--prompt-retries",
            "--mcp-config");
    static final Set<String> BOOLEAN_FLAGS = Set.of("--approve-all", "--approve-reads", "--deny-all",
            "--json-strict", "--suppress-reads", "--verbose", "--version", "--help", "-h", "-V", "--no-fs",
            "--no-terminal");

    static ArgScanner scan(String[] args) {
        List<String> globals = new ArrayList<>();
        int i = 0;
        boolean agentFlag = false;
        while (i < args.length) {
            String tok = args[i];
            String flag = tok.contains("=") ? tok.substring(0, tok.indexOf('=')) : tok;
            if (VALUE_FLAGS.contains(flag)) {
                agentFlag |= flag.equals("--agent");
                globals.add(tok);
                if (!tok.contains("=") && i + 1 < args.length) {
                    globals.add(args[++i]);
                }
                i++;
            } else if (BOOLEAN_FLAGS.contains(tok)) {
                globals.add(tok);
                i++;
            } else {
                break;
            }
        }
        List<String> remaining = new ArrayList<>(Arrays.asList(args).subList(i, args.length));
        if (remaining.isEmpty()) {
            return new ArgScanner(globals, null, null, remaining, false);
        }
        String first = remaining.get(0);
        if (VERBS.contains(first)) {
            return new ArgScanner(globals, null, first, remaining.subList(1, remaining.size()), true);
        }
        if (first.startsWith("-")) {
            return new ArgScanner(globals, null, "prompt", remaining, false);
        }
        List<String> afterAgent = remaining.subList(1, remaining.size());
        if (!afterAgent.isEmpty() && VERBS.contains(afterAgent.get(0)) && !afterAgent.get(0).equals("config")) {
            // With --agent as well this is the usage error "agent given twice", reported by Context.
            return new ArgScanner(globals, first, afterAgent.get(0), afterAgent.subList(1, afterAgent.size()), true);
        }
        if (agentFlag) {
            return new ArgScanner(globals, null, "prompt", remaining, false);
        }
        return new ArgScanner(globals, first, "prompt", afterAgent, false);
    }
}
