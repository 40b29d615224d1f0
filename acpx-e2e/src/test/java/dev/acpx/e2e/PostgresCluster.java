package dev.acpx.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for one test class: initdb into a temp directory, a free TCP port
 * on 127.0.0.1, the Unix socket in the same directory, trust authentication for user {@code acpx}.
 * PostgreSQL refuses to run as root, so as root the cluster runs as {@code nobody} (through
 * {@code runuser}), its directory handed over to that user. The binaries come from
 * {@code ACPX_PG_BIN} (bin/test sets it through bin/find-postgres), else from bin/find-postgres.
 */
final class PostgresCluster implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asNobody;

    private PostgresCluster(Path bin, Path dir, int port, boolean asNobody) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asNobody = asNobody;
    }

    static PostgresCluster start() throws Exception {
        Path bin = binaries();
        boolean root = "0".equals(run(List.of("id", "-u"), 10).trim());
        // Under /tmp, not a JUnit temp dir: the cluster's user must be able to reach it.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "acpx-fleet-pg-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (root) {
            UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(dir, nobody);
        }
        PostgresCluster pg = new PostgresCluster(bin, dir, freePort(), root);
        pg.as(List.of(bin.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "acpx", "--auth=trust",
                "-E", "UTF8", "--no-sync"), 120);
        pg.startServer();
        return pg;
    }

    private static Path binaries() throws Exception {
        String env = System.getenv("ACPX_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(run(List.of(Acpx.REPO.resolve("bin/find-postgres").toString()), 600).trim());
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=acpx";
    }

    int port() {
        return port;
    }

    void startServer() throws Exception {
        as(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=off -c max_connections=200", "start"), 90);
    }

    /** {@code pg_ctl stop -m fast}: every backend ends, every client connection breaks. */
    void stopServer() throws Exception {
        as(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "fast", "stop"), 90);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** One query's rows, each row's columns joined by {@code |}. */
    List<String> query(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }

    private void as(List<String> cmd, int seconds) throws Exception {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(cmd);
        run(full, seconds);
    }

    private static String run(List<String> cmd, int seconds) throws Exception {
        Path out = Files.createTempFile("acpx-pg-cmd", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + seconds + " s");
            }
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            as(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "30", "-m", "immediate",
                    "stop"), 60);
        } catch (IllegalStateException alreadyStopped) {
            // a test that stopped it and failed before starting it again
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
