package io.sessionflow.gateway.console;

import io.sessionflow.gateway.http.ApiException;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The console: a page, a script and a style sheet served as they are from the jar at {@code /console},
 * with no build step and no server of its own. It calls the same {@code /v1} API as everyone else, with
 * the key the user signs in with (kept in the tab's sessionStorage), so it can see and do exactly what
 * that key can. {@code GET /v1/me} tells it whose key it holds.
 */
public final class Console {

    private static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    private final Map<String, String> contents;

    public Console() {
        this.contents = Map.copyOf(ASSETS.keySet().stream().collect(java.util.stream.Collectors.toMap(name -> name, Console::read)));
    }

    public void register(Router router) {
        router.openRoute("GET", "/console", call -> asset(call, "index.html"));
        router.openRoute("GET", "/console/{asset}", call -> asset(call, call.path("asset")));
        router.route("GET", "/v1/me", Console::me);
    }

    private void asset(HttpCall call, String name) {
        call.allowQuery(Set.of());
        String type = ASSETS.get(name);
        if (type == null) {
            throw ApiException.notFound("no console file " + name);
        }
        // The page may not be framed (clickjacking) nor load scripts from anywhere but here.
        call.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        call.setHeader("Cache-Control", "no-cache");
        call.respondText(200, type, contents.get(name));
    }

    private static void me(HttpCall call) {
        call.allowQuery(Set.of());
        var principal = call.principal();
        call.respond(200, principal.admin() ? Map.of("admin", true) : Map.of("admin", false, "user_id", principal.userId()));
    }

    private static String read(String name) {
        try (InputStream in = Console.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console file " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
