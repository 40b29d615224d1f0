package dev.acpx.core.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What the client offers the agent; sent in {@code initialize}. {@code session} and
 * {@code elicitation} are the ACP 2026 additions (absent = not offered).
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientCapabilities(FileSystemCapabilities fs, boolean terminal, Session session,
                                 Elicitation elicitation) {

    public ClientCapabilities(FileSystemCapabilities fs, boolean terminal) {
        this(fs, terminal, null, null);
    }

    /** {@code clientCapabilities.session}: the session updates the client understands beyond the baseline. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Session(Map<String, Object> compaction, Map<String, Object> notices) {
        /** Both offered: {@code compaction_update}/{@code compaction_summary_chunk} and {@code notice}. */
        public static Session all() {
            return new Session(Map.of(), Map.of());
        }
    }

    /** {@code clientCapabilities.elicitation}: the modes of {@code elicitation/create} the client answers. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Elicitation(Map<String, Object> form, Map<String, Object> url) {
        public static Elicitation all() {
            return new Elicitation(Map.of(), Map.of());
        }
    }
}
