package io.sessionflow.gateway.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sessionflow.event.RunEvent;
import io.sessionflow.gateway.http.EventStream;
import io.sessionflow.gateway.http.HttpCall;
import io.sessionflow.gateway.stream.RunEventReader;
import io.sessionflow.json.Json;
import io.sessionflow.store.run.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A run's events as OpenAI's Responses stream: {@code response.created}, then per attempt
 * {@code response.in_progress}, {@code response.output_item.added}, {@code response.content_part.added},
 * the {@code response.output_text.delta}s, and at the end {@code response.output_text.done},
 * {@code response.content_part.done}, {@code response.output_item.done} and {@code response.completed}
 * (or {@code response.failed}, for a failed or cancelled run).
 *
 * <p>Sequence numbers are stable across reconnections, so {@code starting_after} resumes exactly: an
 * event made from the record at offset {@code o} of the session's partition on {@code runs.events} is
 * numbered {@code (o + 1) * 8 + k} ({@code k} its place among the events that record makes), and
 * {@code response.created} is 0. They are ordered and unique but not consecutive.
 */
final class ResponseStream {

    private static final int SLOTS = 8;

    private final RunEventReader reader;
    private final Turns turns;
    private final Duration timeout;

    ResponseStream(RunEventReader reader, Turns turns, Duration timeout) {
        this.reader = reader;
        this.turns = turns;
        this.timeout = timeout;
    }

    /** Streams the run from the start ({@code startingAfter} = -1) or after the event so numbered. */
    void open(HttpCall call, RunRecord run, ResponseView.Echo echo, long startingAfter) {
        long afterOffset = startingAfter < SLOTS ? RunEventReader.FROM_START : startingAfter / SLOTS - 2;
        RunEventReader.Following following = reader.follow(run.sessionId(), run.runId(), run.createdAt(), afterOffset,
                run.status().isFinished(), Instant.now().plus(timeout));
        EventStream stream = call.openEventStream();
        Emitter emitter = new Emitter(stream, startingAfter, run, echo);
        emitter.emit(0, "response.created", Json.object().set("response", ResponseView.of(run, echo)));
        stream.follow(() -> {
            Optional<RunEventReader.Reading> reading = following.poll(emitter::onEvent);
            reading.filter(r -> r.end() == RunEventReader.End.CAUGHT_UP_WITHOUT_FINAL)
                    .ifPresent(r -> emitter.finish(r.position(), turns.run(run.runId())));
            return reading.isEmpty();
        }, following::close);
    }

    /** Turns run events into numbered OpenAI events, skipping those the client already has. */
    private final class Emitter {
        private final EventStream stream;
        private final long startingAfter;
        private final RunRecord run;
        private final ResponseView.Echo echo;
        private final String itemId;

        Emitter(EventStream stream, long startingAfter, RunRecord run, ResponseView.Echo echo) {
            this.stream = stream;
            this.startingAfter = startingAfter;
            this.run = run;
            this.echo = echo;
            this.itemId = ItemView.answerId(run.runId());
        }

        boolean emit(long sequence, String type, ObjectNode data) {
            if (sequence <= startingAfter) {
                return true;
            }
            ObjectNode event = Json.object().put("type", type).put("sequence_number", sequence);
            event.setAll(data);
            return stream.send(sequence, type, Json.toText(event));
        }

        boolean onEvent(long offset, RunEvent event) {
            long base = (offset + 1) * SLOTS;
            return switch (event.type()) {
                case RunEvent.STARTED -> {
                    RunRecord now = turns.run(run.runId());
                    yield emit(base, "response.in_progress", Json.object().set("response", ResponseView.of(now, echo)))
                            && emit(base + 1, "response.output_item.added", Json.object().put("output_index", 0)
                                    .set("item", ResponseView.answerItem(run, "", false)))
                            && emit(base + 2, "response.content_part.added", part(ItemView.outputText("")));
                }
                case RunEvent.DELTA -> emit(base, "response.output_text.delta", position().put("delta", event.delta())
                        .set("logprobs", Json.MAPPER.createArrayNode()));
                case RunEvent.COMPLETED, RunEvent.FAILED -> {
                    finish(offset, turns.run(run.runId()));
                    yield true;
                }
                default -> true; // tool calls and retries: OpenAI's stream has no event that says "take back what was sent"
            };
        }

        /** The closing events, from the stored run (the truth, also when the topic no longer holds the events). */
        void finish(long offset, RunRecord finished) {
            long base = (offset + 1) * SLOTS;
            if (!finished.status().equals(io.sessionflow.store.run.RunStatus.COMPLETED)) {
                emit(base, "response.failed", Json.object().set("response", ResponseView.of(finished, echo)));
                return;
            }
            String text = finished.content() == null ? "" : finished.content();
            boolean open = emit(base, "response.output_text.done", position().put("text", text).set("logprobs", Json.MAPPER.createArrayNode()))
                    && emit(base + 1, "response.content_part.done", part(ItemView.outputText(text)))
                    && emit(base + 2, "response.output_item.done", Json.object().put("output_index", 0)
                            .set("item", ResponseView.answerItem(finished, text, true)));
            if (open) {
                emit(base + 3, "response.completed", Json.object().set("response", ResponseView.of(finished, echo)));
            }
        }

        private ObjectNode position() {
            return Json.object().put("item_id", itemId).put("output_index", 0).put("content_index", 0);
        }

        private ObjectNode part(ObjectNode part) {
            return position().set("part", part);
        }
    }
}
