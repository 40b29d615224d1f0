package dev.acpx.core.session;

/**
 * What kind of process a record's owner is: a queue owner process (the default, no mark) or an
 * embedding JVM. {@code sessions close} signals an owner process, never a host JVM.
 */
public final class OwnerKind {
    /** Record key naming what kind of process the recorded owner is. */
    public static final String KEY = "owner_kind";
    /** {@link #KEY} of a session held by an embedding JVM. */
    public static final String EMBEDDED = "embedded";

    private OwnerKind() {}

    /** Marks a record (before its host is built) as owned by an embedding JVM. */
    public static void markEmbedded(SessionRecord record) {
        record.json().put(KEY, EMBEDDED);
    }

    /** True when the record's owner, if any, is an embedding JVM rather than an owner process. */
    public static boolean isEmbedded(SessionRecord record) {
        return EMBEDDED.equals(record.json().path(KEY).asText(null));
    }
}
