package io.sessionflow.gateway.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A {@code text/event-stream} response: server-sent events, written and flushed one at a time. */
public final class EventStream {

    private final OutputStream out;
    private boolean open = true;

    EventStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        this.out = exchange.getResponseBody();
    }

    /** @return false once the client has gone away */
    public boolean send(long id, String event, String data) {
        if (!open) {
            return false;
        }
        try {
            StringBuilder frame = new StringBuilder().append("id: ").append(id).append('\n').append("event: ").append(event).append('\n');
            data.lines().forEach(line -> frame.append("data: ").append(line).append('\n'));
            out.write(frame.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            open = false;
            return false;
        }
    }
}
