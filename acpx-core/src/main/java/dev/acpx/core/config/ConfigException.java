package dev.acpx.core.config;

/** A config file that cannot be read, is not valid JSON, or holds a wrong value. The message names the file. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
