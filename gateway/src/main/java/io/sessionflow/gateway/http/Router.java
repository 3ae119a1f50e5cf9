package io.sessionflow.gateway.http;

import io.sessionflow.gateway.auth.Authenticator;
import io.sessionflow.gateway.auth.Principal;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes {@code METHOD /path/{param}} to handlers and turns every failure into a JSON error (see
 * {@link HttpCall#fail}). Runs on an event loop: it only matches, and reads the bounded body as it
 * arrives; the handler then runs on the worker pool.
 */
public final class Router implements Handler<HttpServerRequest> {

    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    /** Answers the call, now or later (see {@link HttpCall#continueWhen}); may block. */
    @FunctionalInterface
    public interface RouteHandler {
        void handle(HttpCall call) throws Exception;
    }

    private record Route(String method, String template, Pattern pattern, List<String> params, RouteHandler handler, boolean open) {
    }

    private final List<Route> routes = new ArrayList<>();
    /** Error bodies by path prefix, for paths that serve another API's shape; the native one elsewhere. */
    private final Map<String, ErrorBody> errorBodies = new java.util.LinkedHashMap<>();
    private final int maxBodyBytes;
    private final Authenticator authenticator;
    private Vertx vertx;
    private Executor workers;

    public Router(int maxBodyBytes, Authenticator authenticator) {
        this.maxBodyBytes = maxBodyBytes;
        this.authenticator = authenticator;
    }

    /** Where handlers run (the bounded worker pool) and whose timers streams use; set before serving. */
    public Router serveWith(Vertx vertx, Executor workers) {
        this.vertx = vertx;
        this.workers = workers;
        return this;
    }

    /** A route that needs an API key. */
    public Router route(String method, String template, RouteHandler handler) {
        return add(method, template, handler, false);
    }

    /** A route anyone may call (health, metrics, the API description). */
    public Router openRoute(String method, String template, RouteHandler handler) {
        return add(method, template, handler, true);
    }

    private Router add(String method, String template, RouteHandler handler, boolean open) {
        List<String> params = new ArrayList<>();
        Matcher matcher = PARAM.matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start()))).append("([^/]+)");
            params.add(matcher.group(1));
            last = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        routes.add(new Route(method, template, Pattern.compile(regex.toString()), params, handler, open));
        return this;
    }

    /** Refusals of every path under {@code prefix} (matched or not, authenticated or not) are written by {@code body}. */
    public Router errorsUnder(String prefix, ErrorBody body) {
        errorBodies.put(prefix, body);
        return this;
    }

    private ErrorBody errorBodyFor(String path) {
        return errorBodies.entrySet().stream().filter(e -> path.startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(ErrorBody.NATIVE);
    }

    /** Method and path template of every route, for the API description and its test. */
    public List<String> routes() {
        return routes.stream().map(r -> r.method() + " " + r.template()).toList();
    }

    @Override
    public void handle(HttpServerRequest request) {
        // Routes match the raw path and each parameter is decoded once, strictly: an encoded '/'
        // stays inside its segment, and "%25zz" is the id "%zz", not a second decoding that fails.
        String path = request.path();
        try {
            PercentDecoder.path(path);
        } catch (ApiException e) {
            answer(request, Map.of(), call -> call.respondError(e));
            return;
        }
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher matcher = route.pattern().matcher(path);
            if (!matcher.matches()) {
                continue;
            }
            pathKnown = true;
            if (!route.method().equals(request.method().name())) {
                continue;
            }
            answer(request, params(route, matcher), call -> {
                call.authenticate(route.open() ? Principal.ADMIN
                        : authenticator.authenticate(Optional.ofNullable(request.getHeader("Authorization"))));
                route.handler().handle(call);
            });
            return;
        }
        ApiException error = pathKnown
                ? new ApiException(405, "method_not_allowed", request.method().name() + " is not allowed on " + path, null)
                : new ApiException(404, "not_found", "no route for " + path, null);
        answer(request, Map.of(), call -> call.respondError(error));
    }

    private static Map<String, String> params(Route route, Matcher matcher) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < route.params().size(); i++) {
            params.put(route.params().get(i), matcher.group(i + 1));
        }
        return params;
    }

    /**
     * Reads the body as it arrives, keeping at most the limit and one byte more, then runs the handler
     * on the worker pool. Past the limit the rest is read and dropped, up to a bound, so that a client
     * still uploading sees the 413 rather than a connection reset; past that bound it is answered at once.
     */
    private void answer(HttpServerRequest request, Map<String, String> rawParams, RouteHandler handler) {
        Buffer body = Buffer.buffer();
        long[] received = {0};
        boolean[] dispatched = {false};
        long discardBudget = 17L * maxBodyBytes;
        Runnable dispatch = () -> {
            if (dispatched[0]) {
                return;
            }
            dispatched[0] = true;
            boolean tooLarge = received[0] > maxBodyBytes;
            try {
                workers.execute(() -> run(request, rawParams, handler, body.getBytes(), tooLarge));
            } catch (RejectedExecutionException e) {
                request.connection().close(); // shutting down
            }
        };
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (body.length() <= maxBodyBytes) {
                body.appendBuffer(chunk, 0, Math.min(chunk.length(), maxBodyBytes + 1 - body.length()));
            }
            if (received[0] > discardBudget) {
                dispatch.run();
            }
        });
        request.endHandler(end -> dispatch.run());
    }

    private void run(HttpServerRequest request, Map<String, String> rawParams, RouteHandler handler, byte[] body, boolean tooLarge) {
        Map<String, String> params = new HashMap<>();
        HttpCall call = new HttpCall(request, params, vertx, workers, maxBodyBytes, body, tooLarge, errorBodyFor(request.path()));
        try {
            rawParams.forEach((name, raw) -> params.put(name, PercentDecoder.path(raw)));
            handler.handle(call);
        } catch (Exception e) {
            call.fail(e);
        }
    }
}
