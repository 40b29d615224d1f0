package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** {@code sessions export [name] --output PATH [--cwd DIR]} (SPEC-P2 §2.1). */
final class SessionsExport {
    private final Context ctx;
    private final LocalOutput out;

    SessionsExport(Context ctx, LocalOutput out) {
        this.ctx = ctx;
        this.out = out;
    }

    void run(AgentRef agent, Path cwd, String name, String output) {
        if (output == null) {
            throw AcpxException.usage("sessions export needs --output PATH (the archive file to write)");
        }
        String archive = ctx.runtime().exportSession(agent, cwd, name);
        Path target = ctx.call.cwd().resolve(output);
        if (Files.isDirectory(target)) {
            throw AcpxException.runtime("Session export output must be a regular file");
        }
        try {
            if (!Files.exists(target)) {
                Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(target, (JsPretty.print(out.readTree(archive)) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw AcpxException.runtime("cannot write " + output + ": " + e.getMessage());
        }
        if (out.json()) {
            out.emit(out.object().put("action", "session_exported").put("output", output));
        } else {
            out.stdout().println(out.quiet() ? output : "exported session to " + output);
        }
    }
}
