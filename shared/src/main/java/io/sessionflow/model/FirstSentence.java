package io.sessionflow.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The first sentence of a message, on one line and at most 120 characters: what the local model's extractive rules keep. */
public final class FirstSentence {

    private static final Pattern END = Pattern.compile("[.?!](\\s|$)");
    private static final int LIMIT = 120;

    private FirstSentence() {
    }

    public static String of(String message) {
        String flat = message.strip().replaceAll("\\s+", " ");
        Matcher end = END.matcher(flat);
        String first = end.find() ? flat.substring(0, end.start() + 1) : flat;
        return first.length() > LIMIT ? first.substring(0, LIMIT - 3) + "..." : first;
    }
}
