"""The OpenAI facade driven by the official OpenAI Python SDK, for CI.

    pip install openai
    SESSIONFLOW_URL=http://127.0.0.1:8080 SESSIONFLOW_API_KEY=sf_... python docs/clients/openai_python_check.py

Against a gateway with the built-in local model (./sessionflow dev): a two-turn conversation whose
second turn sees the first, previous_response_id, streaming deltas, background with polling, items
paged. Exits non-zero on the first thing that is off.
"""
import os
import sys
import time

from openai import OpenAI

MODEL = os.environ.get("SESSIONFLOW_OPENAI_MODEL", "personal-assistant")
client = OpenAI(base_url=os.environ.get("SESSIONFLOW_URL", "http://127.0.0.1:8080") + "/openai/v1",
                api_key=os.environ["SESSIONFLOW_API_KEY"], max_retries=0)


def check(condition, what):
    if not condition:
        print("FAILED:", what)
        sys.exit(1)
    print("ok:", what)


conversation = client.conversations.create(metadata={"topic": "python"})
first = client.responses.create(model=MODEL, conversation=conversation.id, input="My favourite colour is teal.")
second = client.responses.create(model=MODEL, conversation=conversation.id, input="What is my favourite colour?")
check(first.status == "completed" and second.status == "completed", "both turns completed")
check("My favourite colour is teal." in second.output_text, "the second turn saw the first")
check(second.usage.input_tokens > 0, "usage carries tokens")

chained = client.responses.create(model=MODEL, previous_response_id=second.id, input="And again?")
check(chained.conversation.id == conversation.id, "previous_response_id continues its conversation")

deltas = []
with client.responses.stream(model=MODEL, input="Stream this,\nplease.") as stream:
    for event in stream:
        if event.type == "response.output_text.delta":
            deltas.append(event.delta)
    final = stream.get_final_response()
check(len(deltas) > 1 and "".join(deltas) == final.output_text, "streamed deltas add up to the answer")

queued = client.responses.create(model=MODEL, input="in the background", background=True)
check(queued.status in ("queued", "in_progress"), "background answers at once")
polled = queued
for _ in range(200):
    if polled.status == "completed":
        break
    time.sleep(0.05)
    polled = client.responses.retrieve(queued.id)
check(polled.status == "completed", "background response polled to completion")

items = list(client.conversations.items.list(conversation.id, limit=2, order="asc"))
check(len(items) == 6 and items[0].content[0].text == "My favourite colour is teal.", "items paged in order")
client.conversations.delete(conversation.id)
print("all checks passed")
