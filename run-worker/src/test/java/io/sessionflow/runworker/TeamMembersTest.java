package io.sessionflow.runworker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.component.ComponentDefinition;
import io.sessionflow.component.ComponentRegistry;
import io.sessionflow.event.ComponentType;
import io.sessionflow.event.RunRequested;
import io.sessionflow.json.Json;
import io.sessionflow.model.ChatMessage;
import io.sessionflow.model.ChatModel;
import io.sessionflow.model.ModelCatalog;
import io.sessionflow.model.ModelReply;
import io.sessionflow.runworker.store.MemberAnswer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A team's members, asked one by one before the team's model, without a broker or a database. */
class TeamMembersTest {

    private static final String COMPONENTS = """
            agents:
              - id: researcher
                instructions: "Research for {user_name}."
              - id: writer
                instructions: "Write for {user_name}, aged {age}."
            teams:
              - id: editorial-team
                instructions: "Lead editor for {user_name}."
                members: [researcher, writer]
              - id: solo-team
                instructions: "No members."
            """;

    @TempDir
    Path dir;

    @Test
    void shouldAskEveryMemberInOrderWithItsOwnInstructionsFilledFromTheTeamsState() throws IOException {
        List<List<ChatMessage>> asked = new ArrayList<>();
        ObjectNode state = Json.object().put("user_name", "Ada").put("age", 36);

        List<MemberAnswer> answers = members().ask(team("editorial-team"), state, request("What is new?"), (model, messages) -> {
            asked.add(messages);
            return new ModelReply("answer " + asked.size(), 7, 3);
        });

        assertThat(answers).extracting(MemberAnswer::memberId).containsExactly("researcher", "writer");
        assertThat(asked.get(0)).containsExactly(ChatMessage.system("Research for Ada."), ChatMessage.user("What is new?"));
        assertThat(asked.get(1)).containsExactly(ChatMessage.system("Write for Ada, aged 36."), ChatMessage.user("What is new?"));
        assertThat(answers.get(1).turns()).containsExactly(ChatMessage.user("What is new?"), ChatMessage.assistant("answer 2"));
        assertThat(answers.get(1).model()).isEqualTo("scripted-member");
        assertThat(state).isEqualTo(Json.object().put("user_name", "Ada").put("age", 36));
    }

    @Test
    void shouldAskNobodyForATeamWithoutMembersOrForAnAgent() throws IOException {
        TeamMembers members = members();
        TeamMembers.ModelCaller never = (model, messages) -> {
            throw new AssertionError("no member to ask");
        };

        assertThat(members.ask(team("solo-team"), Json.object(), request("hi"), never)).isEmpty();
        ComponentDefinition agent = registry().find(ComponentType.AGENT, "writer").orElseThrow();
        assertThat(members.ask(agent, Json.object(), request("hi"), never)).isEmpty();
    }

    @Test
    void shouldGiveTheTeamsModelEveryMembersAnswerAfterItsInstructions() {
        List<MemberAnswer> answers = List.of(
                new MemberAnswer("researcher", "m", List.of(), new ModelReply("facts", 1, 1), 5),
                new MemberAnswer("writer", "m", List.of(), new ModelReply("prose", 1, 1), 5));

        assertThat(TeamMembers.withMemberAnswers("Lead.", answers)).isEqualTo("""
                Lead.

                <member_responses>
                <member id="researcher">
                facts
                </member>
                <member id="writer">
                prose
                </member>
                </member_responses>""");
        assertThat(TeamMembers.withMemberAnswers("Lead.", List.of())).isEqualTo("Lead.");
    }

    private TeamMembers members() throws IOException {
        return new TeamMembers(registry(), ModelCatalog.fixed(new NamedModel()));
    }

    private ComponentDefinition team(String id) throws IOException {
        return registry().find(ComponentType.TEAM, id).orElseThrow();
    }

    private ComponentRegistry registry() throws IOException {
        Path file = dir.resolve("components.yaml");
        Files.writeString(file, COMPONENTS);
        return ComponentRegistry.load(Optional.of(file));
    }

    private static RunRequested request(String message) {
        return RunRequested.of(ComponentType.TEAM, "editorial-team", "team-session", "user_1", message);
    }

    /** Only its id is used: the caller stands in for the call. */
    private static final class NamedModel implements ChatModel {
        @Override
        public String id() {
            return "scripted-member";
        }

        @Override
        public ModelReply complete(List<ChatMessage> messages) {
            throw new AssertionError("members are called through the caller");
        }
    }
}
