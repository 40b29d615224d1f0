package dev.acpx.core.archive;

import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;

/** Export and import refusals: usage errors (exit 2) with the Node acpx's message; the detail code as detail. */
final class ArchiveErrors {
    private ArchiveErrors() {}

    static AcpxException usage(String message, String detailCode) {
        return new AcpxException(ErrorKind.USAGE, message, detailCode, null);
    }
}
