package dev.acpx.core.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("codex", List.of("codex")),
                Arguments.of("  npx   -y  @zed-industries/codex-acp  ", List.of("npx", "-y", "@zed-industries/codex-acp")),
                Arguments.of("a\tb\nc", List.of("a", "b", "c")),
                Arguments.of("'hello world'", List.of("hello world")),
                Arguments.of("\"hello world\"", List.of("hello world")),
                Arguments.of("'it''s'", List.of("its")),
                Arguments.of("'a \"b\" c'", List.of("a \"b\" c")),
                Arguments.of("\"a 'b' c\"", List.of("a 'b' c")),
                Arguments.of("\"say \\\"hi\\\"\"", List.of("say \"hi\"")),
                Arguments.of("\"back\\\\slash\"", List.of("back\\slash")),
                Arguments.of("\"keep \\n literal\"", List.of("keep \\n literal")),
                Arguments.of("\"\\$HOME\"", List.of("$HOME")),
                Arguments.of("'\\n stays'", List.of("\\n stays")),
                Arguments.of("a\\ b", List.of("a b")),
                Arguments.of("\\'quoted\\'", List.of("'quoted'")),
                Arguments.of("x\\\ny", List.of("xy")),
                Arguments.of("trailing\\", List.of("trailing\\")),
                Arguments.of("'' \"\" x", List.of("", "", "x")),
                Arguments.of("pre'mid dle'\"post\"", List.of("premid dlepost")),
                Arguments.of("node --flag=\"a b\" 'c'", List.of("node", "--flag=a b", "c")),
                Arguments.of("$HOME *.txt", List.of("$HOME", "*.txt")),
                Arguments.of("ünï cödé", List.of("ünï", "cödé")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void splitsLikeAShell(String line, List<String> expected) {
        assertEquals(expected, CommandLine.parse(line).argv());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void displayParsesBackToTheSameArgv(String line, List<String> expected) {
        CommandLine parsed = CommandLine.parse(line);
        assertEquals(parsed, CommandLine.parse(parsed.display()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"'open", "a \"b", "\"escaped at end\\\"", "ok 'x\" y"})
    void unterminatedQuoteIsAClearError(String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(line));
        assertTrue(e.getMessage().startsWith("unterminated "), e.getMessage());
        assertTrue(e.getMessage().contains(line), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void emptyLineIsRejected(String line) {
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(line));
    }

    @Test
    void displayQuotesOnlyWhatNeedsIt() {
        assertEquals("npx -y @scope/pkg@1.2 'two words' 'it'\\''s' ''",
                new CommandLine(List.of("npx", "-y", "@scope/pkg@1.2", "two words", "it's", "")).display());
    }
}
