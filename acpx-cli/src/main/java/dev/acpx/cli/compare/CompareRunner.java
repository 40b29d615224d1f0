package dev.acpx.cli.compare;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.TurnListener;
import dev.acpx.api.TurnResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * {@code compare}: the same prompt through several agents, each a one-shot run whose output is
 * discarded, summarized as one {@link CompareRow} each, in the order given. Sequential as in the
 * Node acpx; with a parallelism above one, that many runs at once (each still takes its own
 * host-wide session slot inside the one-shot run).
 */
public final class CompareRunner {

    /** One agent's one-shot run (what {@code exec} does), reporting to {@code listener}. */
    @FunctionalInterface
    public interface AgentRun {
        TurnResult run(String agent, TurnListener listener);
    }

    static final int PREVIEW_CHARS = 200;

    private final AgentRun run;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    /** Set by an interrupt: no further agent is admitted, and the rows in flight become cancelled. */
    private final java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<CompareRow> finished = java.util.Collections.synchronizedList(new ArrayList<>());

    /** @param timeout the per-agent limit, named in the row of a run that hit it */
    public CompareRunner(AgentRun run, Duration timeout, LongSupplier nanoTime) {
        this.run = run;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /**
     * The rows, in {@code agents}' order. A configuration that refuses one-shot runs refuses the
     * whole compare (EXEC_DISABLED), as the Node acpx does before running anything.
     */
    public List<CompareRow> run(List<String> agents, int parallelism) {
        List<CompareRow> rows;
        if (parallelism <= 1 || agents.size() <= 1) {
            rows = new ArrayList<>();
            for (String agent : agents) {
                if (interrupted.get()) {
                    break;
                }
                rows.add(one(agent));
            }
        } else {
            rows = parallel(agents, parallelism);
        }
        return rows;
    }

    /**
     * Ctrl+C (the Node acpx's rule): no further agent starts, and the runs under way end as
     * {@code cancelled} / {@code Interrupted} once the caller has ended their agents.
     */
    public void interrupt() {
        interrupted.set(true);
    }

    /** The rows finished so far, in the order they finished (what an interrupt can still print). */
    public List<CompareRow> finishedSoFar() {
        synchronized (finished) {
            return List.copyOf(finished);
        }
    }

    private List<CompareRow> parallel(List<String> agents, int parallelism) {
        Semaphore admission = new Semaphore(parallelism);
        List<Future<CompareRow>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String agent : agents) {
                futures.add(pool.submit(() -> {
                    admission.acquire();
                    try {
                        return interrupted.get() ? null : one(agent);
                    } finally {
                        admission.release();
                    }
                }));
            }
            List<CompareRow> rows = new ArrayList<>();
            for (Future<CompareRow> f : futures) {
                CompareRow row = f.get();
                if (row != null) {
                    rows.add(row);
                }
            }
            return rows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AcpxException(ErrorKind.INTERRUPTED, "interrupted while comparing agents");
        } catch (ExecutionException e) {
            // one() turns every AcpxException into a row; what gets here is EXEC_DISABLED or a bug
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AcpxException(ErrorKind.RUNTIME, "compare failed: " + e.getCause(), null, e.getCause());
        }
    }

    private CompareRow one(String agent) {
        CompareRow row = measured(agent);
        if (interrupted.get()) {
            row = row.interrupted();
        }
        finished.add(row);
        return row;
    }

    private CompareRow measured(String agent) {
        RunCapture capture = new RunCapture();
        long t0 = nanoTime.getAsLong();
        try {
            TurnResult result = run.run(agent, capture);
            String stop = result.stopReason().value();
            String status = "cancelled".equals(stop) ? CompareRow.CANCELLED
                    : capture.denied() > 0 ? CompareRow.PERMISSION_DENIED : CompareRow.OK;
            return new CompareRow(agent, status, stop, elapsedMs(t0), capture.input(), capture.output(),
                    capture.total(), preview(capture.answer()), null, capture.requested(), capture.denied(),
                    capture.responseMeta());
        } catch (AcpxException e) {
            if (e.kind() == ErrorKind.EXEC_DISABLED) {
                throw new AcpxException(ErrorKind.EXEC_DISABLED,
                        "compare subcommand is disabled by configuration (disableExec: true)");
            }
            String status = switch (e.kind()) {
                case TIMEOUT, INTERRUPTED -> CompareRow.CANCELLED;
                case PERMISSION_DENIED, PERMISSION_PROMPT_UNAVAILABLE -> CompareRow.PERMISSION_DENIED;
                default -> CompareRow.ERROR;
            };
            String message = e.kind() == ErrorKind.TIMEOUT && timeout != null
                    ? "Timed out after " + timeout.toMillis() + "ms" : e.getMessage();
            return new CompareRow(agent, status, null, elapsedMs(t0), capture.input(), capture.output(),
                    capture.total(), preview(capture.answer()), preview(String.valueOf(message)),
                    capture.requested(), capture.denied());
        }
    }

    private long elapsedMs(long t0) {
        return Math.round((nanoTime.getAsLong() - t0) / 1_000_000.0);
    }

    static String preview(String text) {
        String collapsed = collapse(text);
        return collapsed.length() <= PREVIEW_CHARS ? collapsed : collapsed.substring(0, PREVIEW_CHARS - 3) + "...";
    }

    static String collapse(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }
}
