package dev.acpx.core.lifecycle;

import java.util.List;
import java.util.stream.Collectors;

/** No concurrency slot became free in time; the message names the live sessions holding them. */
public final class SlotsFullException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int maxConcurrentSessions;
    private final List<HolderInfo> holders;

    public SlotsFullException(int maxConcurrentSessions, List<HolderInfo> holders) {
        super(message(maxConcurrentSessions, holders));
        this.maxConcurrentSessions = maxConcurrentSessions;
        this.holders = List.copyOf(holders);
    }

    public int maxConcurrentSessions() {
        return maxConcurrentSessions;
    }

    /** The live holders observed when the limit was hit. */
    public List<HolderInfo> holders() {
        return holders;
    }

    private static String message(int max, List<HolderInfo> holders) {
        String who = holders.isEmpty()
                ? "no holder could be identified (slots were released while checking; retry)"
                : "held by " + holders.stream().map(HolderInfo::label).collect(Collectors.joining(", "));
        return "maxConcurrentSessions (" + max + ") reached: " + who
                + "; close one with `acpx sessions close` or raise maxConcurrentSessions";
    }
}
