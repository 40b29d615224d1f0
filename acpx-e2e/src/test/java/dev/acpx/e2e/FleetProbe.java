package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

/** What FleetE2ETest reads of a fleet: the slot locks and rows in PostgreSQL, the agents in /proc. */
final class FleetProbe {
    private FleetProbe() {}

    /** Slots held right now (the locks themselves, not the holders' notes). */
    static final String HELD = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND classid = 1633906808::oid AND objsubid = 2 AND granted";

    /** Rows whose holder holds the slot's lock. */
    static final String LIVE_ROWS = "SELECT count(*) FROM acpx_fleet_sessions s WHERE EXISTS (SELECT 1 FROM"
            + " pg_locks l WHERE l.locktype = 'advisory' AND l.classid = 1633906808::oid AND l.objid = s.slot::oid"
            + " AND l.objsubid = 2 AND l.pid = s.backend_pid AND l.granted)";

    static int held(PostgresCluster pg) throws Exception {
        return Integer.parseInt(pg.query(HELD).get(0));
    }

    /** The mock agents running for a host. */
    static List<String> agents(Acpx h) {
        return Procs.withMarker(h.marker).stream().filter(p -> p.split(" ", 2)[1].startsWith("node ")).toList();
    }

    static int liveRows(PostgresCluster pg) throws Exception {
        return Integer.parseInt(pg.query(LIVE_ROWS).get(0));
    }

    static int count(java.sql.Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Rows whose holders may still be ending (within the grace): their slots are not free yet. */
    static long freshRows(PostgresCluster pg) throws Exception {
        try {
            return Long.parseLong(pg.query("SELECT count(*) FROM acpx_fleet_sessions"
                    + " WHERE heartbeat > clock_timestamp() - interval '8 seconds'").get(0));
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // no acpx has used this database yet
            }
            throw e;
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void await(String what, Duration limit, Check check) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!check.holds()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
