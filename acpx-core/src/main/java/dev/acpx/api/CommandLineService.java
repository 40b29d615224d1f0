package dev.acpx.api;

/**
 * The acpx command line as a service, found with {@link java.util.ServiceLoader}: the per-user
 * daemon runs the commands that thin clients forward to it through this, warm, one call per
 * connection, many at once.
 */
public interface CommandLineService {
    /** Runs one command and returns its exit code (SPEC §8). Never throws for a command's failure. */
    int run(CommandLineCall call);
}
