package dev.acpx.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §6: credentials are never written to records or logs. An agent that lists auth methods gets
 * one credential from the environment ({@code ACPX_AUTH_FOO}) and one from config {@code auth};
 * after exec, persistent prompts (so a queue owner with its log), status and listings in every
 * format, neither value appears in any file under ~/.acpx except the config the user wrote, in
 * any output of acpx, or in the command line of any process acpx started (ps shows those to all).
 */
class AuthSecretsTest {
    private static final String ENV_SECRET = "supersecret";
    private static final String CONFIG_SECRET = "alsosecret";

    @TempDir
    Path tmp;

    @Test
    void credentialsReachTheAgentButNoRecordLogOrOutput() throws Exception {
        Acpx.assumeOwnProcesses("the environment and command line of the session's own queue owner process");
        Acpx acpx = new Acpx(tmp);
        acpx.env.put("ACPX_AUTH_FOO", ENV_SECRET);
        Path config = acpx.home.resolve(".acpx/config.json");
        SessionsE2ETest.writePrivate(config, "{\"auth\": {\"bar\": \"" + CONFIG_SECRET + "\"}}");
        Path agent = tmp.resolve("auth-agent.mjs");
        try (InputStream in = AuthSecretsTest.class.getResourceAsStream("auth-agent.mjs")) {
            Files.write(agent, in.readAllBytes());
        }
        String agentCmd = "node " + agent;
        List<Acpx.Result> results = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        try {
            for (String[] args : List.of(
                    new String[] {"exec", "one shot"},
                    new String[] {"--verbose", "--format", "json", "exec", "one shot as json"},
                    new String[] {"--format", "quiet", "exec", "quietly"},
                    new String[] {"sessions", "new"},
                    new String[] {"--verbose", "prompt", "persistent turn"},
                    new String[] {"--format", "json", "prompt", "persistent json turn"})) {
                Acpx.Result r = run(acpx, agentCmd, args);
                results.add(r);
                assertEquals(0, r.code(), r::toString);
                if (!args[0].equals("sessions")) {
                    // The credentials did reach the agent: the test is not vacuous.
                    assertTrue(r.out().contains("authenticated=foo FOO=set BAR=set"), r::toString);
                }
            }
            // While the owner runs: neither its command line nor its agent's names a credential.
            for (String p : Procs.withMarker(acpx.marker)) {
                if (p.contains(ENV_SECRET) || p.contains(CONFIG_SECRET)) {
                    leaks.add("command line of a running process: " + p);
                }
            }
            assertTrue(Procs.withMarker(acpx.marker).stream().anyMatch(p -> p.contains("OwnerMain")),
                    "the persistent prompt left no queue owner to inspect");
            for (String[] args : List.of(
                    new String[] {"--format", "json", "status"},
                    new String[] {"status"},
                    new String[] {"--format", "json", "sessions", "list"},
                    new String[] {"--format", "json", "sessions", "show"},
                    new String[] {"sessions", "history"},
                    new String[] {"--format", "json", "config", "show"})) {
                results.add(run(acpx, agentCmd, args));
            }
        } finally {
            results.add(run(acpx, agentCmd, "sessions", "close"));
        }
        assertTrue(Procs.awaitNone(acpx.marker, 10000).isEmpty(), "processes left: " + Procs.withMarker(acpx.marker));

        for (Acpx.Result r : results) {
            if (r.toString().contains(ENV_SECRET) || r.toString().contains(CONFIG_SECRET)) {
                leaks.add("acpx output:\n" + r);
            }
        }
        List<Path> scanned = new ArrayList<>();
        try (Stream<Path> all = Files.walk(acpx.home.resolve(".acpx"))) {
            for (Path f : all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                if (f.equals(config)) {
                    continue; // the user put it there
                }
                scanned.add(f);
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                if (text.contains(ENV_SECRET) || text.contains(CONFIG_SECRET)) {
                    leaks.add("file " + acpx.home.relativize(f));
                }
            }
        }
        assertTrue(scanned.stream().anyMatch(f -> f.toString().contains("/sessions/")), "no record was scanned: " + scanned);
        assertTrue(scanned.stream().anyMatch(f -> f.toString().endsWith(".log")), "no owner log was scanned: " + scanned);
        assertEquals(List.of(), leaks);
    }

    private static Acpx.Result run(Acpx acpx, String agentCmd, String... args) throws Exception {
        String[] full = new String[args.length + 2];
        full[0] = "--agent";
        full[1] = agentCmd;
        System.arraycopy(args, 0, full, 2, args.length);
        return acpx.run(full);
    }
}
