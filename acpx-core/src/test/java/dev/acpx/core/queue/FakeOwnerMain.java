package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.PermissionPolicy;
import dev.acpx.api.TurnListener;
import dev.acpx.core.engine.HostStatus;
import dev.acpx.core.engine.SessionHost;
import java.time.Duration;
import dev.acpx.api.TurnResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;

/**
 * A real queue owner process over a {@link FakeSessionHost}: args are the run log, the turn length
 * in ms, then the {@link OwnerLaunch} arguments. Appends "start|end|close pid text" to the run log.
 */
public final class FakeOwnerMain {

    public static void main(String[] args) {
        Path runLog = Path.of(args[0]);
        long turnMillis = Long.parseLong(args[1]);
        String[] ownerArgs = Arrays.copyOfRange(args, 2, args.length);
        int code = OwnerProcess.run(ownerArgs, launch -> journal -> new LoggingHost(new FakeSessionHost(turnMillis), runLog),
                new ObjectMapper(), Clock.systemUTC(), System.err);
        System.exit(code);
    }

    private record LoggingHost(FakeSessionHost fake, Path log) implements SessionHost {
        @Override
        public TurnResult runTurn(String prompt, PermissionPolicy policy, Duration timeout, TurnListener events) {
            append("start " + prompt);
            try {
                return fake.runTurn(prompt, policy, timeout, events);
            } finally {
                append("end " + prompt);
            }
        }

        @Override
        public boolean cancelCurrent() {
            return fake.cancelCurrent();
        }

        @Override
        public void setMode(String modeId) {
            fake.setMode(modeId);
        }

        @Override
        public String setConfigOption(String key, String value) {
            return fake.setConfigOption(key, value);
        }

        @Override
        public HostStatus status() {
            return fake.status();
        }

        @Override
        public void close(String reason) {
            append("close " + reason);
            fake.close(reason);
        }

        private void append(String line) {
            try {
                Files.writeString(log, ProcessHandle.current().pid() + " " + line + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
