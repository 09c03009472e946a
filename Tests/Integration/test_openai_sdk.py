"""The official OpenAI Python SDK against the gateway: an OpenAI-backed and an Anthropic-backed model."""

from __future__ import annotations

import json

import openai
import pytest
from pydantic import BaseModel

from helpers import OPENAI_WEATHER_TOOL, PROMPT, TOOL_RESULT_MARKER, collect_openai_stream, user

BOTH_BACKENDS = pytest.mark.parametrize("model", ["gpt-mock", "claude-mock"])


@BOTH_BACKENDS
def test_plain_chat(openai_client, model):
    response = openai_client.chat.completions.create(model=model, messages=[user()])
    choice = response.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content, "empty content"
    assert choice.finish_reason == "stop"
    assert response.usage is not None
    assert response.usage.prompt_tokens > 0
    assert response.usage.completion_tokens > 0
    assert response.usage.total_tokens == response.usage.prompt_tokens + response.usage.completion_tokens


def test_system_message_and_sampling_fields_are_accepted(openai_client):
    response = openai_client.chat.completions.create(
        model="gpt-mock",
        messages=[{"role": "system", "content": "You are terse."}, user()],
        temperature=0.2,
        top_p=0.9,
        max_tokens=200,
        stop=["\n\n"],
    )
    assert response.choices[0].message.content


@BOTH_BACKENDS
def test_streamed_chat_matches_plain_answer(openai_client, model):
    plain = openai_client.chat.completions.create(model=model, messages=[user()])
    streamed = collect_openai_stream(openai_client.chat.completions.create(model=model, messages=[user()], stream=True))
    assert len(streamed["chunks"]) > 1, "a stream should carry several chunks"
    assert streamed["text"] == plain.choices[0].message.content
    assert streamed["finish_reasons"] == ["stop"]


@BOTH_BACKENDS
def test_streamed_usage_only_when_asked(openai_client, model):
    with_usage = collect_openai_stream(
        openai_client.chat.completions.create(
            model=model, messages=[user()], stream=True, stream_options={"include_usage": True}
        )
    )
    last = with_usage["chunks"][-1]
    assert last.usage is not None, "the last chunk must carry usage when include_usage is set"
    assert last.choices == []
    assert last.usage.prompt_tokens > 0 and last.usage.completion_tokens > 0
    assert last.usage.total_tokens == last.usage.prompt_tokens + last.usage.completion_tokens
    assert with_usage["usage_chunks"] == [last], "exactly one chunk carries usage"

    plain = openai_client.chat.completions.create(model=model, messages=[user()])
    assert last.usage.prompt_tokens == plain.usage.prompt_tokens
    assert last.usage.completion_tokens == plain.usage.completion_tokens

    without_usage = collect_openai_stream(openai_client.chat.completions.create(model=model, messages=[user()], stream=True))
    assert without_usage["usage_chunks"] == [], "no chunk may carry usage unless the client asked for it"
    assert without_usage["text"] == with_usage["text"]


@BOTH_BACKENDS
def test_tool_call(openai_client, model):
    response = openai_client.chat.completions.create(
        model=model, messages=[user("What's the weather in Paris?")], tools=[OPENAI_WEATHER_TOOL]
    )
    choice = response.choices[0]
    assert choice.finish_reason == "tool_calls"
    calls = choice.message.tool_calls
    assert calls and len(calls) == 1
    call = calls[0]
    assert call.type == "function"
    assert call.id
    assert call.function.name == "get_weather"
    arguments = json.loads(call.function.arguments)
    assert isinstance(arguments, dict)
    assert isinstance(arguments.get("city"), str), f"required argument 'city' missing: {arguments}"


@BOTH_BACKENDS
def test_streamed_tool_call(openai_client, model):
    streamed = collect_openai_stream(
        openai_client.chat.completions.create(
            model=model, messages=[user("What's the weather in Paris?")], tools=[OPENAI_WEATHER_TOOL], stream=True
        )
    )
    assert streamed["finish_reasons"] == ["tool_calls"]
    assert len(streamed["tool_calls"]) == 1, streamed["tool_calls"]
    call = streamed["tool_calls"][0]
    assert call["id"]
    assert call["name"] == "get_weather"
    arguments = json.loads(call["arguments"])  # the fragments concatenate to valid JSON
    assert isinstance(arguments, dict) and isinstance(arguments.get("city"), str)


@BOTH_BACKENDS
def test_tool_choice_named_and_none(openai_client, model):
    named = openai_client.chat.completions.create(
        model=model,
        messages=[user("Anything")],
        tools=[OPENAI_WEATHER_TOOL],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )
    assert named.choices[0].finish_reason == "tool_calls"
    assert named.choices[0].message.tool_calls[0].function.name == "get_weather"

    none = openai_client.chat.completions.create(
        model=model, messages=[user("Anything")], tools=[OPENAI_WEATHER_TOOL], tool_choice="none"
    )
    assert none.choices[0].finish_reason == "stop"
    assert none.choices[0].message.content
    assert not none.choices[0].message.tool_calls


@BOTH_BACKENDS
def test_tool_result_follow_up_gets_text(openai_client, model):
    messages = [user("What's the weather in Paris?")]
    first = openai_client.chat.completions.create(model=model, messages=messages, tools=[OPENAI_WEATHER_TOOL])
    call = first.choices[0].message.tool_calls[0]
    messages += [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": call.id, "type": "function", "function": {"name": call.function.name, "arguments": call.function.arguments}}
            ],
        },
        {"role": "tool", "tool_call_id": call.id, "content": f"Weather: {TOOL_RESULT_MARKER}"},
    ]
    second = openai_client.chat.completions.create(model=model, messages=messages, tools=[OPENAI_WEATHER_TOOL])
    choice = second.choices[0]
    assert choice.finish_reason == "stop"
    assert not choice.message.tool_calls
    assert choice.message.content
    # The mock upstream quotes the tool result it received: proves the result reached the provider.
    assert TOOL_RESULT_MARKER in choice.message.content


def test_json_mode_object(openai_client):
    response = openai_client.chat.completions.create(
        model="gpt-mock", messages=[user("Reply in JSON.")], response_format={"type": "json_object"}
    )
    parsed = json.loads(response.choices[0].message.content)
    assert isinstance(parsed, dict)


def test_json_mode_schema(openai_client):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
        "required": ["name", "age"],
        "additionalProperties": False,
    }
    response = openai_client.chat.completions.create(
        model="gpt-mock",
        messages=[user("Describe a person.")],
        response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": schema, "strict": True}},
    )
    parsed = json.loads(response.choices[0].message.content)
    assert isinstance(parsed, dict)
    assert isinstance(parsed.get("name"), str) and isinstance(parsed.get("age"), int), parsed


def test_streamed_json_mode(openai_client):
    streamed = collect_openai_stream(
        openai_client.chat.completions.create(
            model="gpt-mock", messages=[user("Reply in JSON.")], response_format={"type": "json_object"}, stream=True
        )
    )
    assert isinstance(json.loads(streamed["text"]), dict)


def test_content_parts_message(openai_client):
    response = openai_client.chat.completions.create(
        model="gpt-mock",
        messages=[{"role": "user", "content": [{"type": "text", "text": PROMPT}]}],
    )
    plain = openai_client.chat.completions.create(model="gpt-mock", messages=[user()])
    assert response.choices[0].message.content == plain.choices[0].message.content


def test_models_list(openai_client):
    ids = {model.id for model in openai_client.models.list()}
    assert {"gpt-mock", "claude-mock"} <= ids, ids


@BOTH_BACKENDS
@pytest.mark.parametrize("limit_field", ["max_tokens", "max_completion_tokens"])
def test_token_limit_reports_length(openai_client, model, limit_field):
    response = openai_client.chat.completions.create(model=model, messages=[user()], **{limit_field: 2})
    assert response.choices[0].finish_reason == "length"
    assert response.usage.completion_tokens <= 2


class Person(BaseModel):
    name: str
    age: int


class GetWeather(BaseModel):
    """Current weather for a city."""

    city: str


def test_structured_output_parse_helper(openai_client):
    """`chat.completions.parse` with a Pydantic model: the SDK sends a strict json_schema and parses the reply."""
    completion = openai_client.chat.completions.parse(
        model="gpt-mock", messages=[user("Describe a person.")], response_format=Person
    )
    parsed = completion.choices[0].message.parsed
    assert isinstance(parsed, Person), completion.choices[0].message


@BOTH_BACKENDS
def test_stream_helper_with_pydantic_tool(openai_client, model):
    """The SDK's `chat.completions.stream` helper accumulates streamed tool-call fragments and parses them."""
    with openai_client.chat.completions.stream(
        model=model,
        messages=[user("What's the weather in Paris?")],
        tools=[openai.pydantic_function_tool(GetWeather)],
    ) as stream:
        final = stream.get_final_completion()
    choice = final.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.function.name == "GetWeather"
    assert isinstance(call.function.parsed_arguments, GetWeather), call.function


@BOTH_BACKENDS
def test_stream_helper_text(openai_client, model):
    plain = openai_client.chat.completions.create(model=model, messages=[user()])
    with openai_client.chat.completions.stream(model=model, messages=[user()]) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.content == plain.choices[0].message.content
    assert final.choices[0].finish_reason == "stop"
