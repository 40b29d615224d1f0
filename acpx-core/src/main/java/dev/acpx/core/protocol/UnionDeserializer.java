package dev.acpx.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Reads a tagged union: picks the case by the tag field, and falls back to the union's Unknown
 * case, keeping the raw JSON, when the tag is new to us or the known case does not bind. That is
 * what lets a newer agent send things we have never heard of without breaking the connection.
 *
 * <p>Each case record carries {@code @JsonDeserialize(using = JsonDeserializer.None.class)},
 * because Jackson would otherwise inherit this deserializer from the interface and recurse.
 */
abstract class UnionDeserializer<T> extends StdDeserializer<T> {

    private final String tagField;

    protected UnionDeserializer(Class<T> type, String tagField) {
        super(type);
        this.tagField = tagField;
    }

    /** The record class for a tag ({@code null} when the field is absent), or null for unknown. */
    protected abstract Class<? extends T> caseFor(String tag);

    protected abstract T unknown(JsonNode raw);

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode node = ctxt.readTree(p);
        if (!node.isObject()) {
            return unknown(node);
        }
        JsonNode tag = node.get(tagField);
        Class<? extends T> type = caseFor(tag == null || tag.isNull() ? null : tag.asText());
        if (type == null) {
            return unknown(node);
        }
        try {
            return ctxt.readTreeAsValue(node, type);
        } catch (DatabindException e) {
            return unknown(node);
        }
    }
}
