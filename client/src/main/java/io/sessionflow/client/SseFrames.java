package io.sessionflow.client;

import java.io.BufferedReader;
import java.io.IOException;

/** The server-sent-events framing: {@code id:}, {@code event:} and {@code data:} lines, a blank line ends a frame. */
final class SseFrames {

    @FunctionalInterface
    interface Handler {
        /** @return false to stop reading */
        boolean onFrame(String id, String event, String data);
    }

    private SseFrames() {
    }

    static void read(BufferedReader reader, Handler handler) throws IOException {
        String id = null;
        String event = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0 && !handler.onFrame(id, event, data.toString())) {
                    return;
                }
                id = null;
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = value(line, 3);
            } else if (line.startsWith("event:")) {
                event = value(line, 6);
            } else if (line.startsWith("data:")) {
                data.append(data.length() > 0 ? "\n" : "").append(value(line, 5));
            }
        }
    }

    private static String value(String line, int from) {
        String value = line.substring(from);
        return value.startsWith(" ") ? value.substring(1) : value;
    }
}
