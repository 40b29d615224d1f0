package dev.acpx.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * This build's version and identity, generated at build time into {@code build.properties}
 * beside this class (the pom's version is the only place the version is written).
 *
 * <p>The build id tells one build from another (a timestamp of the build): a queue owner started
 * by another build, an older jar for instance, is retired rather than reused. For tests only,
 * the environment variable {@code ACPX_TEST_BUILD_ID} overrides it, so that an owner can be
 * started "by another build" without building twice; nothing else reads it.
 */
public final class AcpxVersion {
    /** Tests only: pretend to be another build (see the class comment). */
    public static final String TEST_BUILD_ID_ENV = "ACPX_TEST_BUILD_ID";

    private static final Properties BUILD = load();

    private AcpxVersion() {}

    /** The release version, such as {@code 0.1.0} (a snapshot reports the release it leads to). */
    public static String version() {
        String v = BUILD.getProperty("version", "0.0.0");
        return v.endsWith("-SNAPSHOT") ? v.substring(0, v.length() - "-SNAPSHOT".length()) : v;
    }

    /** The identity of this build: the same in every process started from the same jar. */
    public static String buildId() {
        String override = System.getenv(TEST_BUILD_ID_ENV);
        if (override != null && !override.isBlank()) {
            return override.strip();
        }
        return BUILD.getProperty("build", "unknown") + "/" + version();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = AcpxVersion.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource leaves the defaults: the version shows as 0.0.0
        }
        return p;
    }
}
