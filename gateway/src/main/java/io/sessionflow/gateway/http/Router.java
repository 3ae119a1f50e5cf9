package io.sessionflow.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.sessionflow.gateway.auth.Authenticator;
import io.sessionflow.gateway.auth.Principal;
import io.sessionflow.store.StoreException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code METHOD /path/{param}} to handlers and turns every failure into a JSON error: an
 * {@link ApiException} as itself, anything else as a 500 that leaks no internals.
 */
public final class Router implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    @FunctionalInterface
    public interface Handler {
        void handle(HttpCall call) throws Exception;
    }

    private record Route(String method, String template, Pattern pattern, List<String> params, Handler handler, boolean open) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final int maxBodyBytes;
    private final Authenticator authenticator;

    public Router(int maxBodyBytes, Authenticator authenticator) {
        this.maxBodyBytes = maxBodyBytes;
        this.authenticator = authenticator;
    }

    /** A route that needs an API key. */
    public Router route(String method, String template, Handler handler) {
        return add(method, template, handler, false);
    }

    /** A route anyone may call (health, metrics, the API description). */
    public Router openRoute(String method, String template, Handler handler) {
        return add(method, template, handler, true);
    }

    private Router add(String method, String template, Handler handler, boolean open) {
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

    /** Method and path template of every route, for the API description and its test. */
    public List<String> routes() {
        return routes.stream().map(r -> r.method() + " " + r.template()).toList();
    }

    @Override
    public void handle(HttpExchange exchange) {
        // Routes match the raw path and each parameter is decoded once, strictly: an encoded '/'
        // stays inside its segment, and "%25zz" is the id "%zz", not a second decoding that fails.
        String path = exchange.getRequestURI().getRawPath();
        boolean pathKnown = false;
        try {
            try {
                PercentDecoder.path(path);
            } catch (ApiException e) {
                new HttpCall(exchange, Map.of(), maxBodyBytes).respondError(e);
                return;
            }
            for (Route route : routes) {
                Matcher matcher = route.pattern().matcher(path);
                if (!matcher.matches()) {
                    continue;
                }
                pathKnown = true;
                if (!route.method().equals(exchange.getRequestMethod())) {
                    continue;
                }
                Map<String, String> params = new HashMap<>();
                for (int i = 0; i < route.params().size(); i++) {
                    params.put(route.params().get(i), PercentDecoder.path(matcher.group(i + 1)));
                }
                HttpCall call = new HttpCall(exchange, params, maxBodyBytes);
                try {
                    call.authenticate(route.open() ? Principal.ADMIN
                            : authenticator.authenticate(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))));
                    route.handler().handle(call);
                } catch (ApiException e) {
                    call.respondError(e);
                } catch (StoreException e) {
                    if (e.isTransient()) {
                        log.warn("{} {}: database unavailable: {}", exchange.getRequestMethod(), path, e.getMessage());
                        call.respondError(new ApiException(503, "database_unavailable", "the database is unavailable; try again shortly", null, 2));
                    } else {
                        log.error("{} {} failed", exchange.getRequestMethod(), path, e);
                        call.respondError(new ApiException(500, "internal_error", "the request failed on the server; see its log", null));
                    }
                } catch (Exception e) {
                    log.error("{} {} failed", exchange.getRequestMethod(), path, e);
                    call.respondError(new ApiException(500, "internal_error", "the request failed on the server; see its log", null));
                }
                return;
            }
            HttpCall call = new HttpCall(exchange, Map.of(), maxBodyBytes);
            call.respondError(pathKnown
                    ? new ApiException(405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed on " + path, null)
                    : new ApiException(404, "not_found", "no route for " + path, null));
        } finally {
            exchange.close();
        }
    }
}
