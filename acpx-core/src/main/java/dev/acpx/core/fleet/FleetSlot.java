package dev.acpx.core.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One held fleet slot: the advisory lock lives on this slot's own connection, which nothing else
 * uses, so the slot is exactly as alive as that connection. A heartbeat proves it every second; when
 * it fails, or none succeeded within the lease (the watchdog), the slot is lost and the holder is
 * told once, on a fresh thread, to end its session ({@link FleetDatabase} explains the timing).
 */
public final class FleetSlot implements AutoCloseable {
    private final Connection connection;
    private final int slot;
    private final String token;
    private final FleetHolder holder;
    private final Object dbLock = new Object();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Consumer<String> onLost;
    private volatile String lostReason;
    private volatile long lastHeartbeatSent;
    private final Thread heartbeat;
    private final Thread watchdog;

    FleetSlot(Connection connection, int slot, String token, FleetHolder holder, Consumer<String> onLost) {
        this.connection = connection;
        this.slot = slot;
        this.token = token;
        this.holder = holder;
        this.onLost = onLost;
        this.lastHeartbeatSent = System.nanoTime();
        this.heartbeat = Thread.ofPlatform().daemon().name("acpx-fleet-heartbeat-" + slot).unstarted(this::beat);
        this.watchdog = Thread.ofPlatform().daemon().name("acpx-fleet-lease-" + slot).unstarted(this::watch);
        heartbeat.start();
        watchdog.start();
    }

    public int slot() {
        return slot;
    }

    public FleetHolder holder() {
        return holder;
    }

    /** Why the slot was lost, or null while it is held (or after a clean close). */
    public String lostReason() {
        return lostReason;
    }

    /** Whom to tell when the slot is lost; a holder that learns its session late sets it here. */
    public void onLost(Consumer<String> action) {
        this.onLost = action;
        String reason = lostReason;
        if (reason != null) {
            action.accept(reason);
        }
    }

    private void beat() {
        long periodNanos = FleetDatabase.HEARTBEAT.toNanos();
        while (!ended.get()) {
            long sent = System.nanoTime();
            try {
                int rows;
                synchronized (dbLock) {
                    if (ended.get()) {
                        return;
                    }
                    try (PreparedStatement st = connection.prepareStatement("UPDATE acpx_fleet_sessions"
                            + " SET heartbeat = clock_timestamp() WHERE slot = ? AND token = ?")) {
                        st.setInt(1, slot);
                        st.setString(2, token);
                        rows = st.executeUpdate();
                    }
                }
                if (rows != 1) {
                    lose("its row in acpx_fleet_sessions was removed or taken over");
                    return;
                }
                lastHeartbeatSent = sent;
            } catch (SQLException e) {
                lose("the fleet database connection failed (" + FleetDatabase.oneLine(e) + ")");
                return;
            }
            long left = periodNanos - (System.nanoTime() - sent);
            if (left > 0) {
                try {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    // The heartbeat's own statement limit should end a stalled beat first; this is the backstop.
    private void watch() {
        long lease = FleetDatabase.LEASE.toNanos();
        while (!ended.get()) {
            if (System.nanoTime() - lastHeartbeatSent > lease) {
                lose("no heartbeat reached the fleet database within " + FleetDatabase.LEASE.toSeconds() + " s");
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void lose(String why) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        String reason = "fleet slot " + slot + " lost: " + why;
        lostReason = reason;
        heartbeat.interrupt();
        watchdog.interrupt();
        // The connection may be half-dead: abort does not wait for the server.
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            // gone already
        }
        Consumer<String> action = onLost;
        if (action != null) {
            Thread.ofPlatform().daemon().name("acpx-fleet-fence-" + slot).start(() -> action.accept(reason));
        }
    }

    /** Closes every slot of {@code slots} at once, waiting at most {@code limit} for them all. */
    public static void closeAll(java.util.Collection<FleetSlot> slots, java.time.Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        java.util.List<Thread> closing = new java.util.ArrayList<>();
        for (FleetSlot s : java.util.List.copyOf(slots)) {
            closing.add(Thread.ofPlatform().daemon().name("acpx-fleet-release-" + s.slot).start(s::close));
        }
        for (Thread t : closing) {
            try {
                t.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Gives the slot back: the row goes first, so that a newcomer can take the slot at once. */
    @Override
    public void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        heartbeat.interrupt();
        watchdog.interrupt();
        synchronized (dbLock) {
            try (PreparedStatement st = connection.prepareStatement(
                    "DELETE FROM acpx_fleet_sessions WHERE slot = ? AND token = ?")) {
                st.setInt(1, slot);
                st.setString(2, token);
                st.executeUpdate();
                try (Statement unlock = connection.createStatement()) {
                    unlock.execute("SELECT pg_advisory_unlock(" + FleetDatabase.SLOT_NAMESPACE + ", " + slot + ")");
                }
            } catch (SQLException e) {
                // The connection's end below frees the lock anyway; the row then ages out (GRACE).
            } finally {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // closed is closed
                }
            }
        }
    }
}
