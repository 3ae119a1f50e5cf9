package io.sessionflow.runworker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunOverrides;
import io.sessionflow.event.RunRequested;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.model.ModelReply;
import io.sessionflow.runworker.store.MemberAnswer;
import java.util.ArrayList;
import java.util.List;

/**
 * A team's members answer first, each on a copy of the team session's state, and the team's model
 * sees their answers. Members have no session of their own: their runs are stored under the team's
 * session with the team run as parent, and only the team's state is persisted. (Members cannot
 * change state here, so merging their copies back is the identity.)
 */
final class TeamMembers {

    private final ComponentRegistry components;
    private final ModelCatalog models;

    TeamMembers(ComponentRegistry components, ModelCatalog models) {
        this.components = components;
        this.models = models;
    }

    /** How a member's model is called (so cancellation and the run's deadline apply to members too). */
    @FunctionalInterface
    interface ModelCaller {
        ModelReply call(ChatModel model, List<ChatMessage> messages);
    }

    List<MemberAnswer> ask(ComponentDefinition team, ObjectNode state, RunRequested request, ModelCaller caller) {
        if (team.type() != ComponentType.TEAM || team.members().isEmpty()) {
            return List.of();
        }
        List<MemberAnswer> answers = new ArrayList<>();
        for (String memberId : team.members()) {
            ComponentDefinition member = components.find(ComponentType.AGENT, memberId).orElseThrow();
            Prompt.Flags flags = Prompt.Flags.of(member, RunOverrides.NONE);
            List<ChatMessage> messages = Prompt.build(member.instructions(), flags, state.deepCopy(), request.userId(),
                    List.of(), request.input().message());
            ChatModel model = models.forSpec(member.model());
            long start = System.nanoTime();
            ModelReply reply = caller.call(model, messages);
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            answers.add(new MemberAnswer(memberId, model.id(),
                    List.of(messages.get(messages.size() - 1), ChatMessage.assistant(reply.content())), reply, latencyMs));
        }
        return answers;
    }

    static String withMemberAnswers(String instructions, List<MemberAnswer> answers) {
        if (answers.isEmpty()) {
            return instructions;
        }
        StringBuilder text = new StringBuilder(instructions).append("\n\n<member_responses>\n");
        for (MemberAnswer answer : answers) {
            text.append("<member id=\"").append(answer.memberId()).append("\">\n").append(answer.reply().content()).append("\n</member>\n");
        }
        return text.append("</member_responses>").toString();
    }
}
