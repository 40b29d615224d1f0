package dev.acpx.cli;

/** Entry point of the acpx command-line tool. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("acpx 0.1.0");
    }
}
