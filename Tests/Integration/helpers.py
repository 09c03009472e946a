"""Shared request pieces for the SDK compatibility tests."""

from __future__ import annotations

WEATHER_PARAMETERS = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "City name"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["city"],
}

# OpenAI `tools` entry.
OPENAI_WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city.",
        "parameters": WEATHER_PARAMETERS,
    },
}

# Anthropic `tools` entry.
ANTHROPIC_WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "input_schema": WEATHER_PARAMETERS,
}

# The tool result the follow-up turn sends; the mock echoes tool results, so the reply must contain it.
TOOL_RESULT_MARKER = "sunny-21C-marker-7f3a"

PROMPT = "Say hello to the integration suite."


def user(text: str = PROMPT) -> dict:
    return {"role": "user", "content": text}


def collect_openai_stream(stream) -> dict:
    """Reads an OpenAI SDK stream into: text, chunks, finish_reason, usage chunks, tool calls by index."""
    text: list[str] = []
    chunks = list(stream)
    finish_reasons = []
    tool_calls: dict[int, dict] = {}
    for chunk in chunks:
        for choice in chunk.choices:
            delta = choice.delta
            if delta is not None and delta.content:
                text.append(delta.content)
            if delta is not None and delta.tool_calls:
                for call in delta.tool_calls:
                    entry = tool_calls.setdefault(call.index, {"id": None, "name": "", "arguments": ""})
                    if call.id:
                        entry["id"] = call.id
                    if call.function is not None:
                        if call.function.name:
                            entry["name"] += call.function.name
                        if call.function.arguments:
                            entry["arguments"] += call.function.arguments
            if choice.finish_reason:
                finish_reasons.append(choice.finish_reason)
    return {
        "text": "".join(text),
        "chunks": chunks,
        "finish_reasons": finish_reasons,
        "usage_chunks": [c for c in chunks if c.usage is not None],
        "tool_calls": [tool_calls[i] for i in sorted(tool_calls)],
    }


def anthropic_text(message) -> str:
    return "".join(block.text for block in message.content if block.type == "text")


def anthropic_tool_use(message):
    blocks = [block for block in message.content if block.type == "tool_use"]
    assert blocks, f"no tool_use block in {message.content!r}"
    return blocks[0]
