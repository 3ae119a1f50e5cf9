package io.sessionflow.summarizer;

import java.util.List;

/** A summary as a summarizer produced it, before it is stored. */
record SummaryDraft(String summary, List<String> topics) {
    SummaryDraft {
        topics = List.copyOf(topics);
    }
}
