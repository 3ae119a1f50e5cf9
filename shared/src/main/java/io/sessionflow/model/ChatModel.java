package io.sessionflow.model;

import java.util.List;

/** A chat model: the conversation in, one answer out. Implementations are thread-safe. */
public interface ChatModel {

    /** The model spec, recorded with each run ({@code local}, {@code openai:gpt-4o-mini}, ...). */
    String id();

    ModelReply complete(List<ChatMessage> messages);
}
