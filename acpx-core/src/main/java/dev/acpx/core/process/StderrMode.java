package dev.acpx.core.process;

import java.util.Objects;
import java.util.function.Consumer;

/** What happens to a child's stderr. Every mode drains it, so a chatty child never blocks on a full pipe. */
public sealed interface StderrMode {

    /** Keep only the last bytes, readable through {@link ManagedProcess#stderrTail()}. */
    record CaptureTail() implements StderrMode {
    }

    /** Hand each line (UTF-8, without its terminator) to {@code sink} as it arrives, and keep the tail too. */
    record ForwardLines(Consumer<String> sink) implements StderrMode {
        public ForwardLines {
            Objects.requireNonNull(sink, "sink");
        }
    }

    /** Send stderr into the stdout pipe (terminals want both in one buffer); the tail stays empty. */
    record MergeIntoStdout() implements StderrMode {
    }

    static StderrMode captureTail() {
        return new CaptureTail();
    }

    static StderrMode forwardLines(Consumer<String> sink) {
        return new ForwardLines(sink);
    }

    static StderrMode mergeIntoStdout() {
        return new MergeIntoStdout();
    }
}
