package dev.acpx.core.queue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an owner process needs to know, as it travels on its command line: the acpx home, the
 * session, and the owner settings. {@link #toArgs} and {@link #parse} are each other's inverse.
 */
public record OwnerLaunch(Path acpxHome, String recordId, OwnerSettings settings) {

    public OwnerLaunch {
        Objects.requireNonNull(acpxHome, "acpxHome");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(settings, "settings");
    }

    /** The flag naming the session; also how a stuck owner is recognised by its command line. */
    static final String RECORD_ID_FLAG = "--record-id";

    public List<String> toArgs() {
        return List.of("--acpx-home", acpxHome.toString(), RECORD_ID_FLAG, recordId,
                "--ttl-ms", Long.toString(settings.ttl().toMillis()),
                "--queue-max-depth", Integer.toString(settings.queueMaxDepth()));
    }

    /** Parses {@link #toArgs()} output; a bad argument is an IllegalArgumentException naming it. */
    public static OwnerLaunch parse(String... args) {
        Path home = null;
        String record = null;
        long ttlMillis = OwnerSettings.DEFAULT_TTL.toMillis();
        int depth = OwnerSettings.DEFAULT_QUEUE_MAX_DEPTH;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("queue owner option " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            try {
                switch (args[i]) {
                    case "--acpx-home" -> home = Path.of(value);
                    case "--record-id" -> record = value;
                    case "--ttl-ms" -> ttlMillis = Long.parseLong(value);
                    case "--queue-max-depth" -> depth = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown queue owner option " + args[i]);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("queue owner option " + args[i] + " needs a number, got " + value);
            }
        }
        if (home == null || record == null) {
            throw new IllegalArgumentException("a queue owner needs --acpx-home and --record-id");
        }
        return new OwnerLaunch(home, record, OwnerSettings.of(depth, Duration.ofMillis(ttlMillis)));
    }
}
