package dev.acpx.cli;

/** Lines to stdout, each ended by a newline as the Node acpx writes them. */
record PrintLines(LocalOutput out) {
    void line(String text) {
        out.stdout().print(text + "\n");
    }
}
