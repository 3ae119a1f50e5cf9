package io.sessionflow.gateway.openai;

import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.event.RunRequested;
import io.sessionflow.event.StorableText;
import io.sessionflow.gateway.Backlog;
import io.sessionflow.gateway.CompletionWaiter;
import io.sessionflow.gateway.GatewaySettings;
import io.sessionflow.gateway.RunAcceptor;
import io.sessionflow.gateway.RunRequestBody;
import io.sessionflow.gateway.auth.Principal;
import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.openai.store.ConversationBinding;
import io.sessionflow.store.Database;
import io.sessionflow.store.run.RunRecord;
import io.sessionflow.store.run.RunStore;
import io.sessionflow.store.session.Session;
import io.sessionflow.store.session.SessionStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One turn of a conversation through the native run path: the facade's requests become ordinary
 * runs, accepted the same way (stored, then published, then answered), so a second turn on a busy
 * session is queued behind the first in the session's order rather than refused.
 */
final class Turns {

    private final RunAcceptor acceptor;
    private final CompletionWaiter waiter;
    private final Backlog backlog;
    private final GatewaySettings settings;
    private final Database database;
    private final ComponentRegistry components;
    private final SessionStore sessions = new SessionStore();
    private final RunStore runs = new RunStore();
    private final ConversationBinding binding = new ConversationBinding();

    Turns(RunAcceptor acceptor, CompletionWaiter waiter, Backlog backlog, GatewaySettings settings, Database database,
          ComponentRegistry components) {
        this.acceptor = acceptor;
        this.waiter = waiter;
        this.backlog = backlog;
        this.settings = settings;
        this.database = database;
        this.components = components;
    }

    /** A run accepted, with a future that completes (true) when it finished or (false) when the wait ran out; null if not waited for. */
    record Started(RunAcceptor.Accepted accepted, CompletableFuture<Boolean> finished) {
    }

    /**
     * Accepts a run of {@code model} with {@code message} in {@code sessionId} (a new session when
     * null), for {@code userId}; when {@code wait}, also waits for its end, holding no thread.
     */
    Started start(ModelName model, String sessionId, String userId, String message, String messageParam, boolean wait) {
        if (message.isBlank()) {
            throw ApiException.badRequest(messageParam, messageParam + " holds no text");
        }
        if (message.length() > settings.maxMessageChars()) {
            throw ApiException.badRequest(messageParam, messageParam + " is longer than " + settings.maxMessageChars() + " characters");
        }
        StorableText.problem(message).ifPresent(problem -> {
            throw ApiException.badRequest(messageParam, messageParam + " " + problem);
        });
        RunRequested request = acceptor.prepare(model.type(), model.componentId(),
                new RunRequestBody(message, sessionId, userId, null, false, RunOverrides.NONE, null), userId);
        if (sessionId != null) {
            ComponentDefinition component = components.find(model.type(), model.componentId()).orElseThrow();
            database.withConnection(c -> {
                binding.bindIfUnbound(c, sessionId, model.type(), model.componentId(), component.sessionState());
                return null;
            });
        }
        backlog.admit();
        CompletableFuture<Void> done = wait ? waiter.expect(request.runId()) : null;
        RunAcceptor.Accepted accepted;
        try {
            accepted = acceptor.accept(request, null);
        } catch (RuntimeException e) {
            waiter.forget(request.runId());
            throw e;
        }
        if (!wait) {
            return new Started(accepted, null);
        }
        CompletableFuture<Boolean> finished = done.thenApply(d -> true)
                .completeOnTimeout(false, settings.waitTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> false)
                .whenComplete((d, e) -> waiter.forget(accepted.runId()));
        return new Started(accepted, finished);
    }

    /** The session a caller continues, if they may see it; another user's answers 404 like a missing one. */
    Session session(Principal principal, String sessionId, String param) {
        return database.withConnection(c -> sessions.find(c, sessionId))
                .filter(session -> principal.canAccess(session.userId()))
                .orElseThrow(() -> new ApiException(404, "not_found", "conversation " + sessionId + " not found", param));
    }

    /** A run the caller may see; another user's answers 404 like a missing one. */
    RunRecord run(Principal principal, String runId, String param) {
        return database.withConnection(c -> runs.find(c, runId))
                .filter(run -> principal.canAccess(run.userId()))
                .orElseThrow(() -> new ApiException(404, "not_found", "response " + runId + " not found", param));
    }

    RunRecord run(String runId) {
        return database.withConnection(c -> runs.find(c, runId)).orElseThrow();
    }
}
