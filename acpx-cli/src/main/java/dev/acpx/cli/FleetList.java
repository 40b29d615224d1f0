package dev.acpx.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.FleetSession;
import java.util.List;

/**
 * {@code sessions list --fleet}: the live sessions of every host of the fleet (docs/FLEET.md). Text:
 * one tab-separated line each (slot, host, record id, state, pid, agent, cwd, heartbeat); quiet:
 * {@code host:recordId}; json: one array.
 */
final class FleetList {
    private FleetList() {}

    static void print(LocalOutput out, List<FleetSession> sessions) {
        if (out.json()) {
            ArrayNode array = out.object().arrayNode();
            for (FleetSession s : sessions) {
                ObjectNode n = out.object();
                n.put("slot", s.slot());
                n.put("host", s.host());
                n.put("pid", s.pid());
                n.put("acpxRecordId", s.recordId());
                n.put("agentCommand", s.agent());
                n.put("cwd", s.cwd());
                n.put("state", s.state());
                n.put("since", s.since().toString());
                n.put("heartbeat", s.heartbeat().toString());
                array.add(n);
            }
            out.emit(array);
            return;
        }
        if (sessions.isEmpty() && !out.quiet()) {
            out.stdout().println("No fleet sessions");
            return;
        }
        for (FleetSession s : sessions) {
            out.stdout().println(out.quiet() ? s.host() + ":" + s.recordId()
                    : "slot " + s.slot() + "\t" + s.host() + "\t" + s.recordId() + "\t" + s.state() + "\tpid " + s.pid()
                    + "\t" + s.agent() + "\t" + s.cwd() + "\t" + s.heartbeat());
        }
    }
}
