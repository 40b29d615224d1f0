package dev.acpx.api;

import java.time.Instant;

/**
 * One row of the fleet's session table (docs/FLEET.md): a live session somewhere in the fleet.
 *
 * @param slot      the fleet slot it holds
 * @param host      the host's fleet name
 * @param pid       the holding process on that host
 * @param recordId  acpx record id (for {@code exec}, the run's own id)
 * @param agent     the agent command
 * @param cwd       its working directory
 * @param state     {@code live} (slot held), or {@code ending} (its connection is gone and the holder
 *                  must end it within the lease; the slot stays taken until then)
 * @param since     when the slot was taken
 * @param heartbeat the holder's last heartbeat (database clock)
 */
public record FleetSession(int slot, String host, long pid, String recordId, String agent, String cwd, String state,
                           Instant since, Instant heartbeat) {

    /** "host:recordId (agent in cwd, pid N)", as a refusal names the holders. */
    public String label() {
        return host + ":" + recordId + " (" + agent + " in " + cwd + ", pid " + pid
                + ("live".equals(state) ? "" : ", " + state) + ")";
    }
}
