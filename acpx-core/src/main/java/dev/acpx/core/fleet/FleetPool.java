package dev.acpx.core.fleet;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.FleetOptions;
import dev.acpx.api.FleetSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The fleet-wide limit of live sessions: slot {@code k} of {@code N} is the session-level advisory
 * lock {@code (acpx, k)} on PostgreSQL, held on the holder's own connection, plus the slot's row in
 * {@code acpx_fleet_sessions} saying who holds it. A slot is free when its lock is free and its row
 * is gone or older than {@link FleetDatabase#GRACE} (see there why a freed lock is not enough).
 */
public final class FleetPool {
    private static final String HELD_LOCKS = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND classid = " + FleetDatabase.SLOT_NAMESPACE + "::oid AND objsubid = 2 AND granted";

    private final FleetOptions fleet;

    public FleetPool(FleetOptions fleet) {
        this.fleet = fleet;
    }

    public FleetOptions options() {
        return fleet;
    }

    /**
     * Takes a free slot now, or fails naming the holders ({@link ErrorKind#RUNTIME}, as the host-wide
     * limit does). {@code onLost} runs once, on its own thread, if the slot is lost while held.
     */
    public FleetSlot acquireNow(FleetHolder holder, Consumer<String> onLost) {
        Connection c = FleetDatabase.connect(fleet);
        boolean handedOver = false;
        try {
            FleetDatabase.ensureSchema(c);
            int max = fleet.maxConcurrentSessions();
            // Two passes: another try holds a free slot's lock for the moment of its checks, which
            // must not make the fleet look full.
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < max; k++) {
                    if (!tryLock(c, k)) {
                        continue;
                    }
                    if (rowStillFresh(c, k) || count(c, HELD_LOCKS) > max) {
                        unlock(c, k);
                        continue;
                    }
                    String token = UUID.randomUUID().toString();
                    claim(c, k, token, holder);
                    c.setNetworkTimeout(Runnable::run, (int) FleetDatabase.STATEMENT_LIMIT.toMillis());
                    FleetSlot slot = new FleetSlot(c, k, token, holder, onLost);
                    handedOver = true;
                    return slot;
                }
                pause(20);
            }
            throw new AcpxException(ErrorKind.RUNTIME, "fleet maxConcurrentSessions (" + max + ") reached: "
                    + holdersText(c, max) + "; close one with `acpx sessions close` on its host or raise"
                    + " fleet.maxConcurrentSessions");
        } catch (SQLException e) {
            throw FleetDatabase.unreachable(fleet, e);
        } finally {
            if (!handedOver) {
                closeQuietly(c);
            }
        }
    }

    /** The fleet's live sessions (and those whose holders are ending), in slot order. */
    public List<FleetSession> sessions() {
        try (Connection c = FleetDatabase.connect(fleet)) {
            FleetDatabase.ensureSchema(c);
            return sessions(c);
        } catch (SQLException e) {
            throw FleetDatabase.unreachable(fleet, e);
        }
    }

    /**
     * Who holds the slots, for a refusal. A holder between its lock and its row is not listed yet,
     * so an incomplete list is read again for a moment before the unnamed are counted as starting.
     */
    private static String holdersText(Connection c, int max) throws SQLException {
        List<FleetSession> holders = sessions(c);
        long held = count(c, HELD_LOCKS);
        for (int i = 0; i < 10 && holders.size() < Math.min(held, max); i++) {
            pause(50);
            holders = sessions(c);
            held = count(c, HELD_LOCKS);
        }
        long unnamed = Math.max(0, Math.min(held, max) - holders.size());
        List<String> names = new ArrayList<>(holders.stream().map(FleetSession::label).toList());
        if (unnamed > 0) {
            names.add(unnamed + " starting (not recorded yet)");
        }
        return names.isEmpty() ? "no holder could be identified (slots were released while checking; retry)"
                : "held by " + String.join(", ", names);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while taking a fleet slot");
        }
    }

    private static List<FleetSession> sessions(Connection c) throws SQLException {
        String sql = "SELECT s.slot, s.host, s.pid, s.record_id, s.agent, s.cwd, s.state, s.started_at, s.heartbeat,"
                + " EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.classid = "
                + FleetDatabase.SLOT_NAMESPACE + "::oid AND l.objid = s.slot::oid AND l.objsubid = 2"
                + " AND l.pid = s.backend_pid AND l.granted) AS held,"
                + " s.heartbeat > clock_timestamp() - " + graceInterval() + " AS fresh"
                + " FROM acpx_fleet_sessions s ORDER BY s.slot";
        List<FleetSession> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                boolean held = rs.getBoolean("held");
                if (!held && !rs.getBoolean("fresh")) {
                    continue; // a holder that died long enough ago: its row waits to be overwritten
                }
                out.add(new FleetSession(rs.getInt("slot"), rs.getString("host"), rs.getLong("pid"),
                        rs.getString("record_id"), rs.getString("agent"), rs.getString("cwd"),
                        held ? rs.getString("state") : "ending",
                        rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("heartbeat").toInstant()));
            }
        }
        return out;
    }

    private static String graceInterval() {
        return "interval '" + FleetDatabase.GRACE.toMillis() + " milliseconds'";
    }

    private static boolean tryLock(Connection c, int k) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + FleetDatabase.SLOT_NAMESPACE + ", " + k + ")")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void unlock(Connection c, int k) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_unlock(" + FleetDatabase.SLOT_NAMESPACE + ", " + k + ")");
        }
    }

    /** A previous holder heartbeat recently: it may not have ended its session yet. */
    private static boolean rowStillFresh(Connection c, int k) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT heartbeat > clock_timestamp() - " + graceInterval()
                + " FROM acpx_fleet_sessions WHERE slot = ?")) {
            st.setInt(1, k);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void claim(Connection c, int k, String token, FleetHolder h) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO acpx_fleet_sessions (slot, token, backend_pid,"
                + " host, pid, record_id, agent, cwd, state, started_at, heartbeat) VALUES (?, ?, pg_backend_pid(),"
                + " ?, ?, ?, ?, ?, 'live', clock_timestamp(), clock_timestamp()) ON CONFLICT (slot) DO UPDATE SET"
                + " token = EXCLUDED.token, backend_pid = EXCLUDED.backend_pid, host = EXCLUDED.host,"
                + " pid = EXCLUDED.pid, record_id = EXCLUDED.record_id, agent = EXCLUDED.agent, cwd = EXCLUDED.cwd,"
                + " state = EXCLUDED.state, started_at = EXCLUDED.started_at, heartbeat = EXCLUDED.heartbeat")) {
            st.setInt(1, k);
            st.setString(2, token);
            st.setString(3, h.host());
            st.setLong(4, h.pid());
            st.setString(5, h.recordId());
            st.setString(6, h.agent());
            st.setString(7, h.cwd());
            st.executeUpdate();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing held on it any more
        }
    }
}
