package dev.acpx.core.config;

import java.util.function.Function;

/** Formats the accepted spellings of an enum for error messages. */
final class WireNames {
    private WireNames() {
    }

    static <E> String choices(E[] values, Function<E, String> name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(values.length == 2 ? " or " : i == values.length - 1 ? ", or " : ", ");
            }
            out.append(name.apply(values[i]));
        }
        return out.toString();
    }
}
