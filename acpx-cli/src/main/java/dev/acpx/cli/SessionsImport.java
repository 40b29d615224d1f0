package dev.acpx.cli;

import dev.acpx.api.AcpxException;
import dev.acpx.api.AgentRef;
import java.nio.file.Path;

/** {@code sessions import <archive> [--name N] [--cwd DIR]} (SPEC-P2 §2.2). */
final class SessionsImport {
    private final Context ctx;
    private final LocalOutput out;

    SessionsImport(Context ctx, LocalOutput out) {
        this.ctx = ctx;
        this.out = out;
    }

    void run(AgentRef agent, Path globalCwd, String archive, String name, String cwd) {
        if (archive == null) {
            throw AcpxException.usage("sessions import needs the archive file: acpx sessions import <archive>");
        }
        if (archive.trim().isEmpty()) {
            throw AcpxException.usage("Archive path must not be empty");
        }
        Path destination = cwd == null ? null : globalCwd.resolve(cwd).normalize();
        var imported = ctx.runtime().importSession(agent, ctx.call.cwd().resolve(archive.trim()), name, destination);
        if (out.json()) {
            out.emit(out.object().put("action", "session_imported").put("record_id", imported.recordId())
                    .put("cwd", imported.cwd()));
        } else {
            out.stdout().println(out.quiet() ? imported.recordId()
                    : "imported session " + imported.recordId() + " at " + imported.cwd());
        }
    }
}
