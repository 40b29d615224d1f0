package dev.acpx.core.lifecycle;

import java.nio.file.Path;
import java.time.Clock;

/** Child process for tests: takes one slot, says which, then waits to be killed. */
public final class SlotHolderMain {
    public static void main(String[] args) throws Exception {
        SlotPool pool = new SlotPool(Path.of(args[0]), Integer.parseInt(args[1]), Clock.systemUTC());
        Slot slot = pool.tryAcquire(HolderInfo.ofCurrentProcess(args[2], "child holder in /child", Clock.systemUTC().instant()))
                .orElseThrow(() -> new IllegalStateException("no free slot"));
        System.out.println("HELD " + slot.index());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
