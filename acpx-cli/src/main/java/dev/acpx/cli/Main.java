package dev.acpx.cli;

/**
 * Entry point. {@code --version} is answered before anything else is loaded: scripts call it
 * often and it is the start-up figure users compare.
 */
public final class Main {
    /** Ours, from the build (the Node acpx version this is a drop-in for is in the README). */
    static final String VERSION = dev.acpx.api.AcpxVersion.version();

    private Main() {}

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(VERSION);
            System.exit(0);
        }
        int code = new Cli(ProcessCall.of(args)).run();
        System.out.flush();
        System.exit(code);
    }
}
