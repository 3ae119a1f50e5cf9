package io.sessionflow.gateway.openai;

import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.gateway.Backlog;
import io.sessionflow.gateway.CompletionWaiter;
import io.sessionflow.gateway.GatewaySettings;
import io.sessionflow.gateway.RunAcceptor;
import io.sessionflow.gateway.SessionDeletions;
import io.sessionflow.gateway.http.Router;
import io.sessionflow.gateway.stream.RunEventReader;
import io.sessionflow.store.Database;

/**
 * OpenAI's API shape at {@code /openai/v1}, over our sessions and runs, so that an OpenAI SDK works
 * with a base URL changed: Responses, Conversations and Chat Completions, behind the same API keys
 * (sent as {@code Authorization: Bearer}), refusing in OpenAI's error shape.
 */
public final class OpenAiFacade {

    public static final String PREFIX = "/openai/v1";

    private final Turns turns;
    private final RunEventReader reader;
    private final Database database;
    private final ComponentRegistry components;
    private final SessionDeletions deletions;
    private final GatewaySettings settings;

    public OpenAiFacade(RunAcceptor acceptor, CompletionWaiter waiter, Backlog backlog, GatewaySettings settings, Database database,
                        ComponentRegistry components, RunEventReader reader, SessionDeletions deletions) {
        this.turns = new Turns(acceptor, waiter, backlog, settings, database, components);
        this.reader = reader;
        this.database = database;
        this.components = components;
        this.deletions = deletions;
        this.settings = settings;
    }

    public void register(Router router) {
        router.errorsUnder(PREFIX + "/", OpenAiErrors.BODY);
        new ResponsesApi(turns, new ResponseStream(reader, turns, settings.streamTimeout()), database).register(router);
        new ConversationsApi(database, components, deletions, turns).register(router);
        new ChatCompletionsApi(turns, reader, settings.streamTimeout()).register(router);
    }
}
