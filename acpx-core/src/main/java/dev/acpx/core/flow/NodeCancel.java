package dev.acpx.core.flow;

import java.util.ArrayList;
import java.util.List;

/**
 * Ends what a node attempt started when its deadline passes or the run is interrupted: the hooks
 * (cancel the ACP turn, end the shell's process group) run once, in the order registered; a hook
 * registered after the cancel runs at once.
 */
final class NodeCancel {
    private final List<Runnable> hooks = new ArrayList<>();
    private boolean cancelled;

    void onCancel(Runnable hook) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                hooks.add(hook);
            }
        }
        if (now) {
            runQuietly(hook);
        }
    }

    void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = new ArrayList<>(hooks);
            hooks.clear();
        }
        toRun.forEach(NodeCancel::runQuietly);
    }

    synchronized boolean cancelled() {
        return cancelled;
    }

    private static void runQuietly(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            // best effort: the node ends as timed out or cancelled whatever the hook managed
        }
    }
}
