package io.sessionflow.runworker.store;

import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ModelReply;
import java.util.List;

/** A team member's answer, shown to the team's model and stored as the member's run under the team run. */
public record MemberAnswer(String memberId, String model, List<ChatMessage> turns, ModelReply reply, long latencyMs) {
}
