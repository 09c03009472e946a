"""The official Anthropic Python SDK against the gateway: an Anthropic-backed and an OpenAI-backed model."""

from __future__ import annotations

import pytest

from helpers import ANTHROPIC_WEATHER_TOOL, TOOL_RESULT_MARKER, anthropic_text, anthropic_tool_use, user

BOTH_BACKENDS = pytest.mark.parametrize("model", ["claude-mock", "gpt-mock"])
MAX_TOKENS = 512


@BOTH_BACKENDS
def test_plain_message(anthropic_client, model):
    message = anthropic_client.messages.create(model=model, max_tokens=MAX_TOKENS, messages=[user()])
    assert message.type == "message"
    assert message.role == "assistant"
    assert message.content[0].type == "text"
    assert message.content[0].text
    assert message.stop_reason == "end_turn"
    assert message.usage.input_tokens > 0
    assert message.usage.output_tokens > 0


@BOTH_BACKENDS
def test_system_prompt_and_stop_sequences_are_accepted(anthropic_client, model):
    message = anthropic_client.messages.create(
        model=model,
        max_tokens=MAX_TOKENS,
        system="You are terse.",
        stop_sequences=["\n\nHuman:"],
        messages=[user()],
    )
    assert anthropic_text(message)


@BOTH_BACKENDS
def test_streamed_message_matches_plain(anthropic_client, model):
    plain = anthropic_client.messages.create(model=model, max_tokens=MAX_TOKENS, messages=[user()])
    with anthropic_client.messages.stream(model=model, max_tokens=MAX_TOKENS, messages=[user()]) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) > 1, "a stream should carry several text deltas"
    assert "".join(pieces) == anthropic_text(final)
    assert anthropic_text(final) == anthropic_text(plain)
    assert final.stop_reason == "end_turn"
    assert final.usage.output_tokens > 0
    assert final.usage.input_tokens > 0
    assert final.usage.output_tokens == plain.usage.output_tokens


@BOTH_BACKENDS
def test_raw_stream_event_sequence(anthropic_client, model):
    stream = anthropic_client.messages.create(model=model, max_tokens=MAX_TOKENS, messages=[user()], stream=True)
    types = [event.type for event in stream]
    assert types[0] == "message_start"
    assert types[-1] == "message_stop"
    assert "content_block_start" in types and "content_block_delta" in types and "content_block_stop" in types
    assert "message_delta" in types
    assert types.index("message_delta") > types.index("content_block_stop")


@BOTH_BACKENDS
def test_tool_use(anthropic_client, model):
    message = anthropic_client.messages.create(
        model=model,
        max_tokens=MAX_TOKENS,
        messages=[user("What's the weather in Paris?")],
        tools=[ANTHROPIC_WEATHER_TOOL],
    )
    assert message.stop_reason == "tool_use"
    block = anthropic_tool_use(message)
    assert block.name == "get_weather"
    assert block.id
    assert isinstance(block.input, dict)
    assert isinstance(block.input.get("city"), str), block.input


@BOTH_BACKENDS
def test_streamed_tool_use(anthropic_client, model):
    with anthropic_client.messages.stream(
        model=model,
        max_tokens=MAX_TOKENS,
        messages=[user("What's the weather in Paris?")],
        tools=[ANTHROPIC_WEATHER_TOOL],
    ) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "tool_use"
    block = anthropic_tool_use(final)
    assert block.name == "get_weather"
    assert block.id
    assert isinstance(block.input, dict)
    assert isinstance(block.input.get("city"), str), block.input


@BOTH_BACKENDS
def test_tool_choice_tool_and_none(anthropic_client, model):
    forced = anthropic_client.messages.create(
        model=model,
        max_tokens=MAX_TOKENS,
        messages=[user("Anything")],
        tools=[ANTHROPIC_WEATHER_TOOL],
        tool_choice={"type": "tool", "name": "get_weather"},
    )
    assert forced.stop_reason == "tool_use"
    assert anthropic_tool_use(forced).name == "get_weather"

    none = anthropic_client.messages.create(
        model=model,
        max_tokens=MAX_TOKENS,
        messages=[user("Anything")],
        tools=[ANTHROPIC_WEATHER_TOOL],
        tool_choice={"type": "none"},
    )
    assert none.stop_reason == "end_turn"
    assert anthropic_text(none)


@BOTH_BACKENDS
def test_tool_result_follow_up(anthropic_client, model):
    messages = [user("What's the weather in Paris?")]
    first = anthropic_client.messages.create(
        model=model, max_tokens=MAX_TOKENS, messages=messages, tools=[ANTHROPIC_WEATHER_TOOL]
    )
    block = anthropic_tool_use(first)
    messages += [
        {"role": "assistant", "content": [block.model_dump(exclude_none=True)]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": block.id, "content": f"Weather: {TOOL_RESULT_MARKER}"}],
        },
    ]
    second = anthropic_client.messages.create(
        model=model, max_tokens=MAX_TOKENS, messages=messages, tools=[ANTHROPIC_WEATHER_TOOL]
    )
    assert second.stop_reason == "end_turn"
    text = anthropic_text(second)
    # The mock upstream quotes the tool result it received: proves the result reached the provider.
    assert TOOL_RESULT_MARKER in text


@BOTH_BACKENDS
def test_max_tokens_limit_reports_max_tokens(anthropic_client, model):
    message = anthropic_client.messages.create(model=model, max_tokens=2, messages=[user()])
    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens <= 2


@BOTH_BACKENDS
def test_system_blocks_and_content_blocks(anthropic_client, model):
    plain = anthropic_client.messages.create(model=model, max_tokens=MAX_TOKENS, messages=[user()])
    message = anthropic_client.messages.create(
        model=model,
        max_tokens=MAX_TOKENS,
        system=[{"type": "text", "text": "You are terse."}],
        messages=[{"role": "user", "content": [{"type": "text", "text": user()["content"]}]}],
    )
    assert anthropic_text(message) == anthropic_text(plain)


@BOTH_BACKENDS
def test_multi_turn_conversation(anthropic_client, model):
    message = anthropic_client.messages.create(
        model=model,
        max_tokens=MAX_TOKENS,
        messages=[user("First question"), {"role": "assistant", "content": "First answer"}, user("Second question")],
    )
    assert message.stop_reason == "end_turn"
    assert "Second question" in anthropic_text(message)  # the mock quotes the last user message
