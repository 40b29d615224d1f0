package dev.acpx.core.queue;

import dev.acpx.api.PermissionPolicies;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The owner's side of the question channel: sends a turn's questions to the caller whose turn it
 * is and waits for the answers. Questions of one caller are asked one at a time (a person answers
 * one question at a time); a caller that disconnects, or any wait that is interrupted, answers no.
 */
final class CallerQuestions {
    private record Pending(Outbox outbox, CompletableFuture<String> answer) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Outbox, ReentrantLock> serial = new ConcurrentHashMap<>();

    CallerQuestions() {
    }

    /** A prompter that asks yes/no questions on the terminal of the caller behind {@code outbox}. */
    PermissionPolicies.Prompter prompter(Outbox outbox) {
        return new PermissionPolicies.Prompter() {
            @Override
            public boolean confirm(String question) {
                return CallerAnswer.YES.equals(ask(outbox, OwnerQuestion.CONFIRM, question));
            }

            @Override
            public String answer(String question) {
                return ask(outbox, OwnerQuestion.LINE, question);
            }
        };
    }

    /** Asks and waits; null when the caller left before answering. */
    String ask(Outbox outbox, String kind, String text) {
        ReentrantLock lock = serial.computeIfAbsent(outbox, o -> new ReentrantLock(true));
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        String id = UUID.randomUUID().toString();
        try {
            if (outbox.isDead()) {
                return null;
            }
            CompletableFuture<String> answer = new CompletableFuture<>();
            pending.put(id, new Pending(outbox, answer));
            outbox.send(new OwnerQuestion(id, kind, text));
            // The outbox may have died between the check and the registration: then nobody answers.
            if (outbox.isDead()) {
                answer.complete(null);
            }
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        } finally {
            pending.remove(id);
            lock.unlock();
        }
    }

    /** An answer arrived; answers to unknown or settled questions are dropped. */
    void answer(String questionId, String answer) {
        Pending p = questionId == null ? null : pending.get(questionId);
        if (p != null) {
            p.answer().complete(answer);
        }
    }

    /** The caller behind {@code outbox} is gone: its open questions are answered no. */
    void closed(Outbox outbox) {
        pending.values().stream().filter(p -> p.outbox() == outbox).forEach(p -> p.answer().complete(null));
        serial.remove(outbox);
    }
}
