package dev.acpx.cli;

/** The top-level help, kept as text so that {@code --help} stays as fast as {@code --version}. */
final class Help {
    private Help() {}

    static final String TEXT = """
            Usage: acpx [global options] [<agent>] [prompt options] <prompt text...>
                   acpx [global options] [<agent>] prompt|exec [-s NAME] [--no-wait] [-f FILE] [text...]
                   acpx [global options] [<agent>] cancel|status [-s NAME]
                   acpx [global options] [<agent>] set-mode MODE [-s NAME]
                   acpx [global options] [<agent>] set KEY VALUE [-s NAME]
                   acpx [global options] [<agent>] sessions [list|new|ensure|close|show|history|prune]
                   acpx [global options] config [show|init]
                   acpx [global options] compare [--parallel] <agent>... <prompt> | -f FILE
                   acpx [global options] flow run <file> [--input-json JSON | --input-file PATH] [--default-agent NAME]
                   acpx [global options] flow resume <runId> | flow runs

            Headless client for the Agent Client Protocol (ACP).

            <agent> is a built-in name (codex, claude, gemini, ..., and `demo`, an offline agent
            shipped inside acpx), a name from config `agents`, or a raw command.

            Global options:
              --agent COMMAND                    raw agent command line (shell-style quoting)
              --cwd DIR                          working directory (default: current)
              --approve-all | --approve-reads | --deny-all
                                                 permission mode (default: approve-reads)
              --non-interactive-permissions deny|fail
                                                 approve-reads without a TTY (default: deny)
              --format text|json|quiet           output format (default: text)
              --json-strict                      with json: only JSON lines, nothing on stderr
              --suppress-reads                   hide file contents read by the agent
              --timeout SECONDS                  turn time limit (decimals allowed)
              --ttl SECONDS                      queue owner idle time (default 300, 0 = forever)
              --model ID                         model to select for the session
              --allowed-tools LIST               tools the agent may use, comma-separated ("" = none)
              --max-turns COUNT                  maximum turns for the session
              --system-prompt TEXT               replace the agent's system prompt
              --append-system-prompt TEXT        append to the agent's system prompt
              --prompt-retries COUNT             retries of a transiently failed prompt (exec)
              --mcp-config PATH                  MCP servers from this file's mcpServers
              --auth-policy skip|fail            when auth is needed and no credential exists
              --permission-policy FILE|JSON      permission rules before the mode (alias --policy)
              --no-fs | --no-terminal            do not offer the agent files / terminals
              --verbose                          agent stderr and error details
              --version, --help

            Examples:
              acpx demo exec "hello"
              acpx --agent 'node ./agent.mjs' exec "echo hi"
              acpx codex sessions new && acpx codex "fix the tests"
              acpx config show

            Exit codes: 0 ok, 1 agent/runtime error, 2 usage, 3 timeout, 4 no session,
            5 permission denied, 130 interrupted.
            """;
}
