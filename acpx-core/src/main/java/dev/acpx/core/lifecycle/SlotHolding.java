package dev.acpx.core.lifecycle;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import java.time.Duration;

/** Taking a host-wide session slot (SPEC §9.3) with the runtime's error for a full host. */
public final class SlotHolding {
    private SlotHolding() {}

    /** Fails at once, naming the live sessions that hold the slots, when the host is full. */
    public static Slot acquireNow(SlotPool pool, HolderInfo holder) {
        return acquire(pool, holder, Duration.ZERO);
    }

    public static Slot acquire(SlotPool pool, HolderInfo holder, Duration wait) {
        try {
            return pool.acquire(holder, wait);
        } catch (SlotsFullException e) {
            throw new AcpxException(ErrorKind.RUNTIME, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while waiting for a session slot");
        }
    }
}
