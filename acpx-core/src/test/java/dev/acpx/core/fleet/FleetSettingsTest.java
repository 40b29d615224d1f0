package dev.acpx.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acpx.api.AcpxException;
import dev.acpx.api.ErrorKind;
import dev.acpx.api.FleetOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the fleet settings come from: builder, {@code ~/.acpx/config.json}, {@code ACPX_FLEET_JDBC_URL}. */
class FleetSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "jdbc:postgresql://db:5432/acpx?user=acpx&password=secret";

    @TempDir
    Path home;

    private void config(String json) throws Exception {
        Files.createDirectories(home.resolve(".acpx"));
        Files.writeString(home.resolve(".acpx/config.json"), json);
    }

    private Optional<FleetOptions> resolve(FleetOptions builder, Map<String, String> env) {
        return FleetSettings.resolve(builder, home, env, JSON);
    }

    @Test
    void noFleetAnywhereIsNoFleet() throws Exception {
        assertFalse(resolve(null, Map.of()).isPresent());
        config("{\"maxConcurrentSessions\": 2}");
        assertFalse(resolve(null, Map.of()).isPresent());
    }

    @Test
    void theConfigFileGivesTheFleetAndTheEnvironmentReplacesItsUrl() throws Exception {
        config("{\"fleet\": {\"jdbcUrl\": \"" + URL + "\", \"maxConcurrentSessions\": 3, \"hostName\": \"gw-1\"}}");
        assertEquals(new FleetOptions(URL, 3, "gw-1"), resolve(null, Map.of()).orElseThrow());
        String other = "jdbc:postgresql://other/acpx";
        assertEquals(new FleetOptions(other, 3, "gw-1"),
                resolve(null, Map.of(FleetSettings.ENV_URL, other)).orElseThrow());
    }

    @Test
    void theUrlMayComeFromTheEnvironmentAlone() throws Exception {
        config("{\"fleet\": {\"maxConcurrentSessions\": 1}}");
        assertEquals(new FleetOptions(URL, 1, null), resolve(null, Map.of(FleetSettings.ENV_URL, URL)).orElseThrow());
        AcpxException none = assertThrows(AcpxException.class, () -> resolve(null, Map.of()));
        assertTrue(none.getMessage().contains("has no \"jdbcUrl\""), none.getMessage());
    }

    @Test
    void theBuilderWinsOverTheFile() throws Exception {
        config("{\"fleet\": {\"jdbcUrl\": \"jdbc:postgresql://file/x\", \"maxConcurrentSessions\": 3}}");
        FleetOptions built = new FleetOptions(URL, 5, "embedded");
        assertEquals(built, resolve(built, Map.of()).orElseThrow());
    }

    @Test
    void anEnvironmentUrlWithoutALimitIsRefusedWithWhatToDo() {
        AcpxException e = assertThrows(AcpxException.class, () -> resolve(null, Map.of(FleetSettings.ENV_URL, URL)));
        assertEquals(ErrorKind.RUNTIME, e.kind());
        assertTrue(e.getMessage().contains("maxConcurrentSessions"), e.getMessage());
    }

    @Test
    void badValuesNameTheKeyAndNeverThePassword() throws Exception {
        for (String bad : new String[] {"{\"fleet\": 3}", "{\"fleet\": {\"jdbcUrl\": \"" + URL + "\"}}",
                "{\"fleet\": {\"jdbcUrl\": \"" + URL + "\", \"maxConcurrentSessions\": 0}}",
                "{\"fleet\": {\"jdbcUrl\": \"" + URL + "\", \"maxConcurrentSessions\": 1.5}}",
                "{\"fleet\": {\"jdbcUrl\": \"mysql://x?password=secret\", \"maxConcurrentSessions\": 1}}",
                "{\"fleet\": {\"jdbcUrl\": \"" + URL + "\", \"maxConcurrentSessions\": 1, \"hostName\": 7}}"}) {
            config(bad);
            AcpxException e = assertThrows(AcpxException.class, () -> resolve(null, Map.of()), bad);
            assertTrue(e.getMessage().startsWith("~/.acpx/config.json: invalid \"fleet\""), e.getMessage());
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anUnreadableFileFailsClosedInsteadOfDroppingTheLimit() throws Exception {
        config("{\"fleet\": {\"jdbcUrl\": \"" + URL + "\", \"maxConcurrentSessions\": 2,");
        AcpxException e = assertThrows(AcpxException.class, () -> resolve(null, Map.of()));
        assertTrue(e.getMessage().startsWith("~/.acpx/config.json: cannot read the \"fleet\" settings"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void theOptionsNeverPrintThePassword() {
        assertFalse(new FleetOptions(URL, 1, null).toString().contains("secret"));
    }
}
