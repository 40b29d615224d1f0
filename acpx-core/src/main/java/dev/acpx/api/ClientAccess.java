package dev.acpx.api;

/**
 * Which client capabilities acpx offers the agent (SPEC-P2 §8, {@code --no-fs} and
 * {@code --no-terminal}): what is off is not advertised in {@code initialize}, and its methods are
 * answered "method not found" whatever the permission mode says.
 *
 * @param fileSystem {@code fs/read_text_file} and {@code fs/write_text_file}
 * @param terminal   the {@code terminal/*} methods
 */
public record ClientAccess(boolean fileSystem, boolean terminal) {
    /** Everything offered: the default. */
    public static final ClientAccess FULL = new ClientAccess(true, true);
}
