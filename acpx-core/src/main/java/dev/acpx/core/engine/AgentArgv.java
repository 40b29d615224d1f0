package dev.acpx.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acpx.api.AgentRef;
import dev.acpx.core.config.AgentDefinition;
import dev.acpx.core.process.CommandLine;
import dev.acpx.core.session.SessionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The program that serves a record: its saved argv, the demo agent, or its command line parsed. */
final class AgentArgv {
    private AgentArgv() {}

    static AgentRef forRecord(SessionRecord record, Map<String, String> env) {
        String command = record.agentCommand();
        if (AgentDefinition.BuiltinDemo.IDENTITY.equals(command)) {
            return new AgentRef("demo", command, DemoAgentLauncher.argv(env));
        }
        JsonNode saved = record.json().get(SessionService.AGENT_ARGV);
        if (saved != null && saved.isArray() && !saved.isEmpty()) {
            List<String> argv = new ArrayList<>();
            saved.forEach(a -> argv.add(a.asText()));
            return new AgentRef(null, command, argv);
        }
        return new AgentRef(null, command, CommandLine.parse(command).argv());
    }
}
