package dev.acpx.core.fleet;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.FleetOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The fleet's PostgreSQL side: how a holder connects (bounded everywhere, so that a dead peer is
 * noticed in seconds on both ends) and the schema, created and migrated on first use.
 *
 * <p>Timing (docs/FLEET.md, "Guarantees"): a holder heartbeats every {@link #HEARTBEAT}; one whose
 * last heartbeat was sent more than {@link #LEASE} ago ends its session (each statement has a
 * {@link #STATEMENT_LIMIT} socket limit, so a partition cannot stall that). The server drops a
 * silent client after {@link #SERVER_DROP} (keepalive and {@code tcp_user_timeout}), which frees its
 * advisory lock; a newcomer still treats a slot whose row was heartbeaten less than {@link #GRACE}
 * ago as taken, so an old holder has always ended before its slot is given again, even when its
 * lock was freed at once ({@code pg_terminate_backend}).
 */
public final class FleetDatabase {
    // LEASE < SERVER_DROP and LEASE + (the agent's end: at most 2 s) < GRACE; the margins are for
    // a loaded host whose heartbeat thread runs late (tested at a load average of 50 on 2 CPUs).
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration STATEMENT_LIMIT = Duration.ofSeconds(3);
    static final Duration LEASE = Duration.ofSeconds(5);
    static final Duration GRACE = Duration.ofSeconds(8);
    static final Duration SERVER_DROP = Duration.ofSeconds(8);
    /** Taking a slot may wait for a busy server longer than a heartbeat may: nothing runs yet. */
    private static final Duration CONNECT_LIMIT = Duration.ofSeconds(20);

    /** First key of the slots' advisory locks ("acpx"); the second is the slot number. */
    static final int SLOT_NAMESPACE = 0x61637078;
    /** First key of the lock that serializes migrations (a transaction-level lock). */
    static final int MIGRATION_NAMESPACE = SLOT_NAMESPACE + 1;

    static final int SCHEMA_VERSION = 1;
    /** Migration {@code i} brings the schema from version {@code i} to {@code i + 1}. */
    private static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE acpx_fleet_sessions (
                slot        integer PRIMARY KEY,
                token       text NOT NULL,
                backend_pid integer NOT NULL,
                host        text NOT NULL,
                pid         bigint NOT NULL,
                record_id   text NOT NULL,
                agent       text NOT NULL,
                cwd         text NOT NULL,
                state       text NOT NULL,
                started_at  timestamptz NOT NULL,
                heartbeat   timestamptz NOT NULL)
            """);

    private FleetDatabase() {}

    /** A new connection for one holder (or one listing), every wait on it bounded. */
    static Connection connect(FleetOptions fleet) {
        Properties props = new Properties();
        props.setProperty("connectTimeout", Long.toString(CONNECT_LIMIT.toSeconds()));
        props.setProperty("loginTimeout", Long.toString(CONNECT_LIMIT.toSeconds()));
        props.setProperty("socketTimeout", Long.toString(CONNECT_LIMIT.toSeconds()));
        props.setProperty("cancelSignalTimeout", "2");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "acpx-fleet");
        if (!fleet.jdbcUrl().contains("options=")) {
            // The server's side of "a dead host frees its slots within seconds".
            long dropMs = SERVER_DROP.toMillis();
            props.setProperty("options", "-c tcp_keepalives_idle=" + (dropMs / 2000) + " -c tcp_keepalives_interval=1"
                    + " -c tcp_keepalives_count=" + (dropMs / 2000) + " -c tcp_user_timeout=" + dropMs);
        }
        String user = System.getenv("PGUSER");
        if (user != null && !fleet.jdbcUrl().contains("user=")) {
            props.setProperty("user", user);
        }
        String password = System.getenv("PGPASSWORD");
        if (password != null && !fleet.jdbcUrl().contains("password=")) {
            props.setProperty("password", password);
        }
        try {
            Connection c = new org.postgresql.Driver().connect(fleet.jdbcUrl(), props);
            if (c == null) {
                throw new AcpxException(ErrorKind.RUNTIME, "fleet: not a PostgreSQL JDBC URL: "
                        + FleetOptions.redacted(fleet.jdbcUrl()));
            }
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            throw unreachable(fleet, e);
        } catch (NoClassDefFoundError e) {
            // A host on the module path that did not resolve the optional driver module.
            throw new AcpxException(ErrorKind.RUNTIME, "fleet: the PostgreSQL JDBC driver (org.postgresql:postgresql)"
                    + " is not available; put it on the class path, or on the module path with"
                    + " --add-modules org.postgresql.jdbc");
        }
    }

    static AcpxException unreachable(FleetOptions fleet, SQLException e) {
        return new AcpxException(ErrorKind.RUNTIME, "fleet: cannot reach the fleet database "
                + FleetOptions.redacted(fleet.jdbcUrl()) + " (" + oneLine(e) + "); check fleet.jdbcUrl / "
                + FleetSettings.ENV_URL + " and that PostgreSQL runs");
    }

    static String oneLine(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * Brings the schema to {@link #SCHEMA_VERSION}: one query when it is there already; otherwise the
     * migrations in one transaction under a lock, so that hosts starting together migrate once.
     */
    static void ensureSchema(Connection c) throws SQLException {
        if (currentVersion(c) == SCHEMA_VERSION) {
            return;
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_NAMESPACE + ", 0)");
            st.execute("CREATE TABLE IF NOT EXISTS acpx_fleet_schema_version (version integer NOT NULL)");
            int version = 0;
            try (ResultSet rs = st.executeQuery("SELECT max(version) FROM acpx_fleet_schema_version")) {
                if (rs.next()) {
                    version = rs.getInt(1);
                }
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("the fleet schema is at version " + version + ", newer than this acpx ("
                        + SCHEMA_VERSION + "); upgrade acpx on this host");
            }
            for (int v = version; v < SCHEMA_VERSION; v++) {
                st.execute(MIGRATIONS.get(v));
            }
            st.execute("DELETE FROM acpx_fleet_schema_version");
            st.execute("INSERT INTO acpx_fleet_schema_version VALUES (" + SCHEMA_VERSION + ")");
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(version) FROM acpx_fleet_schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined_table: a database never used by a fleet
                return 0;
            }
            throw e;
        }
    }
}
