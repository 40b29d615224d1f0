package dev.acpx.core.queue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Starts an owner process detached from its caller: in a new session ({@code setsid}), so the
 * caller's Ctrl+C and terminal hangup never reach it; stdin from /dev/null; stdout and stderr
 * appended to {@code <queue>/<key>.log}, mode 0600 since prompts may appear in it.
 */
public final class DetachedSpawner implements OwnerSpawner {

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final QueuePaths paths;
    private final Function<String, List<String>> argvForRecord;

    /** @param argvForRecord the owner's command line for a record id (java, class path, main class, args) */
    public DetachedSpawner(QueuePaths paths, Function<String, List<String>> argvForRecord) {
        this.paths = paths;
        this.argvForRecord = argvForRecord;
    }

    @Override
    public ProcessHandle spawn(String recordId) throws IOException {
        paths.ensureDirectory();
        Path log = paths.log(recordId);
        if (!Files.exists(log)) {
            try {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another caller created it; the mode is set below either way
            }
        }
        Files.setPosixFilePermissions(log, OWNER_ONLY_FILE);
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(p -> command.add(p.toString()));
        command.addAll(argvForRecord.apply(recordId));
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        return process.toHandle();
    }
}
