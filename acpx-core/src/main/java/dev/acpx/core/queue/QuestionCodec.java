package dev.acpx.core.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acpx.api.PermissionRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire form of the question channel ({@code question} from owner to caller, {@code answer} back) and
 * of a turn's permission rules. Kept apart from {@link IpcCodec} so the channel can grow (elicitation
 * questions) without touching the queue's core messages.
 */
final class QuestionCodec {
    static final String QUESTION = "question";
    static final String ANSWER = "answer";

    private QuestionCodec() {}

    static void encode(OwnerQuestion q, ObjectNode node) {
        node.put("type", QUESTION).put("questionId", q.questionId()).put("kind", q.kind()).put("text", q.text());
    }

    static void encode(CallerAnswer a, ObjectNode node) {
        node.put("type", ANSWER).put("questionId", a.questionId()).put("answer", a.answer());
    }

    static OwnerQuestion question(JsonNode node) throws IpcFormatException {
        String id = IpcEventCodec.text(node, "questionId");
        if (id == null) {
            throw new IpcFormatException("question needs a \"questionId\"");
        }
        return new OwnerQuestion(id, IpcEventCodec.text(node, "kind"), String.valueOf(IpcEventCodec.text(node, "text")));
    }

    static CallerAnswer answer(JsonNode node) throws IpcFormatException {
        String id = IpcEventCodec.text(node, "questionId");
        if (id == null) {
            throw new IpcFormatException("answer needs a \"questionId\"");
        }
        return new CallerAnswer(id, IpcEventCodec.text(node, "answer"));
    }

    static void encodeRules(PermissionRules rules, ObjectNode turn) {
        if (rules == null) {
            return;
        }
        ObjectNode node = turn.putObject("permissionRules");
        strings(node.putArray("autoApprove"), rules.autoApprove());
        strings(node.putArray("autoDeny"), rules.autoDeny());
        strings(node.putArray("escalate"), rules.escalate());
        if (rules.defaultAction() != null) {
            node.put("defaultAction", rules.defaultAction().wireName());
        }
    }

    static PermissionRules decodeRules(JsonNode turn) throws IpcFormatException {
        JsonNode node = turn.get("permissionRules");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IpcFormatException("\"permissionRules\" must be an object");
        }
        String action = IpcEventCodec.text(node, "defaultAction");
        PermissionRules.Action defaultAction = null;
        if (action != null) {
            defaultAction = PermissionRules.Action.fromWire(action).orElseThrow(() -> new IpcFormatException(
                    "unknown defaultAction \"" + action + "\""));
        }
        return new PermissionRules(list(node, "autoApprove"), list(node, "autoDeny"), list(node, "escalate"),
                defaultAction);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static List<String> list(JsonNode node, String field) throws IpcFormatException {
        JsonNode array = node.get(field);
        List<String> out = new ArrayList<>();
        if (array == null || array.isNull()) {
            return out;
        }
        if (!array.isArray()) {
            throw new IpcFormatException("\"" + field + "\" must be an array");
        }
        for (JsonNode v : array) {
            out.add(v.asText());
        }
        return out;
    }
}
