package dev.acpx.core.process;

import java.util.List;

/**
 * How a process ended: an exit code, or the signal that killed it (exactly one is non-null).
 * Signal names are the Linux ones with the {@code SIG} prefix, as ACP's {@code signal} field and Node report them.
 */
public record ExitStatus(Integer code, String signal) {

    // Index = Linux signal number.
    private static final List<String> SIGNALS = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
            "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM",
            "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
            "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");

    public ExitStatus {
        if ((code == null) == (signal == null)) {
            throw new IllegalArgumentException("exactly one of code and signal must be set, got code=" + code
                    + " signal=" + signal);
        }
    }

    public static ExitStatus ofCode(int code) {
        return new ExitStatus(code, null);
    }

    public static ExitStatus ofSignal(String signal) {
        return new ExitStatus(null, signal);
    }

    /**
     * Decodes {@link Process#exitValue()}. On Unix the JDK reports a death by signal N as 128+N, so 129..159
     * become signal names. This is ambiguous: a process that really calls exit(130) is indistinguishable
     * from one killed by SIGINT, and is reported as SIGINT. The JDK gives no other channel, and real exit
     * codes above 128 are rare outside shells that mimic this very convention.
     */
    public static ExitStatus fromJavaExitValue(int exitValue) {
        int signal = exitValue - 128;
        if (signal >= 1 && signal < SIGNALS.size()) {
            return ofSignal(SIGNALS.get(signal));
        }
        return ofCode(exitValue);
    }

    /** The Linux number of a signal name such as "SIGTERM" or "TERM"; -1 when unknown. */
    public static int signalNumber(String name) {
        String full = name.startsWith("SIG") ? name : "SIG" + name;
        int index = SIGNALS.indexOf(full);
        return index > 0 ? index : -1;
    }

    /** True for a clean exit(0). */
    public boolean success() {
        return code != null && code == 0;
    }

    /** "exit code 3" or "signal SIGKILL". */
    public String describe() {
        return code != null ? "exit code " + code : "signal " + signal;
    }
}
