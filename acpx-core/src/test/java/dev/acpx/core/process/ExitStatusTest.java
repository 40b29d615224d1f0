package dev.acpx.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ExitStatusTest {

    @Test
    void decodesJavaSignalConvention() {
        assertEquals(ExitStatus.ofSignal("SIGKILL"), ExitStatus.fromJavaExitValue(137));
        assertEquals(ExitStatus.ofSignal("SIGTERM"), ExitStatus.fromJavaExitValue(143));
        assertEquals(ExitStatus.ofSignal("SIGHUP"), ExitStatus.fromJavaExitValue(129));
        assertEquals(ExitStatus.ofSignal("SIGSYS"), ExitStatus.fromJavaExitValue(159));
        assertEquals(ExitStatus.ofCode(128), ExitStatus.fromJavaExitValue(128));
        assertEquals(ExitStatus.ofCode(160), ExitStatus.fromJavaExitValue(160));
        assertEquals(ExitStatus.ofCode(0), ExitStatus.fromJavaExitValue(0));
        assertEquals(ExitStatus.ofCode(3), ExitStatus.fromJavaExitValue(3));
    }

    @Test
    void describes() {
        assertEquals("exit code 3", ExitStatus.ofCode(3).describe());
        assertEquals("signal SIGKILL", ExitStatus.ofSignal("SIGKILL").describe());
    }

    @Test
    void exactlyOneFieldIsSet() {
        assertThrows(IllegalArgumentException.class, () -> new ExitStatus(null, null));
        assertThrows(IllegalArgumentException.class, () -> new ExitStatus(1, "SIGTERM"));
    }

    @Test
    void signalNumbers() {
        assertEquals(15, ExitStatus.signalNumber("SIGTERM"));
        assertEquals(9, ExitStatus.signalNumber("KILL"));
        assertEquals(-1, ExitStatus.signalNumber("SIGNOPE"));
    }
}
