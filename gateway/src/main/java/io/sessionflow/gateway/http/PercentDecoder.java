package io.sessionflow.gateway.http;

import io.sessionflow.event.StorableText;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict decoding of the request target's path segments and query parameters: a {@code %} not
 * followed by two hex digits, bytes that are not UTF-8, or a NUL is an {@link ApiException} 400
 * ({@code java.net.URLDecoder} throws an unchecked exception for the first and silently
 * substitutes {@code U+FFFD} for the second). A {@code +} is a space only in the query (form
 * encoding); in a path it is itself.
 */
final class PercentDecoder {

    private PercentDecoder() {
    }

    static String path(String raw) {
        return decode(raw, false, "the path");
    }

    static String query(String raw) {
        return decode(raw, true, "the query");
    }

    private static String decode(String raw, boolean plusIsSpace, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (low < 0) {
                    throw undecodable(what, "'%' must be followed by two hex digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c <= 0xFF) {
                // The server reads the request line byte for byte, so raw UTF-8 arrives as one char per byte.
                bytes.write(c);
            } else {
                throw undecodable(what, "it is not UTF-8");
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw undecodable(what, "its percent-encoded bytes are not UTF-8");
        }
        StorableText.problem(text).ifPresent(problem -> {
            throw undecodable(what, problem);
        });
        return text;
    }

    private static ApiException undecodable(String what, String why) {
        return new ApiException(400, "undecodable_uri", what + " cannot be decoded: " + why, null);
    }
}
