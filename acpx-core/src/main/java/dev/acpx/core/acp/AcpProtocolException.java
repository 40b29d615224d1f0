package dev.acpx.core.acp;

import java.io.IOException;

/** The agent answered, but with something that does not match the ACP schema. */
public final class AcpProtocolException extends IOException {
    public AcpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
