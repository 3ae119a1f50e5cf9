package io.sessionflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.json.Json;
import org.junit.jupiter.api.Test;

class SessionStateTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text);
    }

    @Test
    void shouldLetRunArgumentWinOnConflictingKeys() {
        ObjectNode stored = json("{\"user_name\":\"John\",\"age\":30}");
        ObjectNode run = json("{\"user_name\":\"Jane\"}");

        ObjectNode result = SessionState.apply(stored, run, false);

        assertThat(result).isEqualTo(json("{\"user_name\":\"Jane\",\"age\":30}"));
    }

    @Test
    void shouldMergeNestedObjectsRecursivelyKeepingKeysOfBoth() {
        ObjectNode stored = json("{\"profile\":{\"name\":\"John\",\"address\":{\"city\":\"Oslo\",\"zip\":\"0150\"}},\"count\":1}");
        ObjectNode run = json("{\"profile\":{\"age\":31,\"address\":{\"city\":\"Bergen\"}},\"extra\":true}");

        ObjectNode result = SessionState.apply(stored, run, false);

        assertThat(result).isEqualTo(json(
                "{\"profile\":{\"name\":\"John\",\"address\":{\"city\":\"Bergen\",\"zip\":\"0150\"},\"age\":31},"
                        + "\"count\":1,\"extra\":true}"));
    }

    @Test
    void shouldReplaceObjectWithNonObjectValue() {
        ObjectNode stored = json("{\"profile\":{\"name\":\"John\"}}");
        ObjectNode run = json("{\"profile\":\"anonymous\"}");

        ObjectNode result = SessionState.apply(stored, run, false);

        assertThat(result).isEqualTo(json("{\"profile\":\"anonymous\"}"));
    }

    @Test
    void shouldReplaceNonObjectWithObjectValue() {
        ObjectNode stored = json("{\"tags\":[1,2],\"profile\":\"anonymous\"}");
        ObjectNode run = json("{\"tags\":{\"a\":1},\"profile\":{\"name\":\"Jane\"}}");

        ObjectNode result = SessionState.apply(stored, run, false);

        assertThat(result).isEqualTo(json("{\"tags\":{\"a\":1},\"profile\":{\"name\":\"Jane\"}}"));
    }

    @Test
    void shouldReplaceArraysRatherThanConcatenating() {
        ObjectNode stored = json("{\"shopping_list\":[\"milk\",\"eggs\"]}");
        ObjectNode run = json("{\"shopping_list\":[\"bread\"]}");

        assertThat(SessionState.apply(stored, run, false)).isEqualTo(json("{\"shopping_list\":[\"bread\"]}"));
    }

    @Test
    void shouldReplaceWholeStateWhenOverwriteIsTrue() {
        ObjectNode stored = json("{\"user_name\":\"John\",\"profile\":{\"age\":30}}");
        ObjectNode run = json("{\"profile\":{\"city\":\"Oslo\"}}");

        ObjectNode result = SessionState.apply(stored, run, true);

        assertThat(result).isEqualTo(json("{\"profile\":{\"city\":\"Oslo\"}}"));
        assertThat(result).isNotSameAs(run);
    }

    @Test
    void shouldReturnEqualCopyWhenRunArgumentIsNull() {
        ObjectNode stored = json("{\"user_name\":\"John\",\"profile\":{\"age\":30}}");

        ObjectNode result = SessionState.apply(stored, null, false);

        assertThat(result).isEqualTo(stored).isNotSameAs(stored);
        ((ObjectNode) result.get("profile")).put("age", 99);
        assertThat(stored.get("profile").get("age").asInt()).isEqualTo(30);
    }

    @Test
    void shouldReturnEqualCopyWhenRunArgumentIsNullEvenWithOverwrite() {
        ObjectNode stored = json("{\"user_name\":\"John\"}");

        assertThat(SessionState.apply(stored, null, true)).isEqualTo(stored).isNotSameAs(stored);
    }

    @Test
    void shouldNeverMutateInputsWhenMerging() {
        ObjectNode stored = json("{\"profile\":{\"name\":\"John\",\"address\":{\"city\":\"Oslo\"}},\"n\":1}");
        ObjectNode run = json("{\"profile\":{\"address\":{\"city\":\"Bergen\"},\"age\":31},\"m\":[1]}");
        ObjectNode storedBefore = stored.deepCopy();
        ObjectNode runBefore = run.deepCopy();

        ObjectNode result = SessionState.apply(stored, run, false);
        // Changing the result must not reach back into either input.
        ((ObjectNode) result.get("profile").get("address")).put("city", "Tromso");
        ((ObjectNode) result.get("profile")).put("age", 99);
        result.withArray("m").add(2);

        assertThat(stored).isEqualTo(storedBefore);
        assertThat(run).isEqualTo(runBefore);
    }

    @Test
    void shouldNeverMutateInputsWhenOverwriting() {
        ObjectNode stored = json("{\"a\":1}");
        ObjectNode run = json("{\"b\":{\"c\":2}}");
        ObjectNode storedBefore = stored.deepCopy();
        ObjectNode runBefore = run.deepCopy();

        ObjectNode result = SessionState.apply(stored, run, true);
        ((ObjectNode) result.get("b")).put("c", 3);

        assertThat(stored).isEqualTo(storedBefore);
        assertThat(run).isEqualTo(runBefore);
    }
}
