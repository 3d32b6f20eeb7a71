"""Conversation scenarios in hub form, shared by the conformance matrix and golden tests.

Each scenario is a client request and the answer the upstream gives, both as hub objects;
the matrix renders them in every format and checks what survives each conversion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newapi.billing.meter import Usage
from newapi.relay.canonical import (
    ChatRequest,
    ChatResponse,
    ImageBlock,
    Message,
    StopReason,
    TextBlock,
    Tool,
    ToolChoice,
    ToolResultBlock,
    ToolUseBlock,
)

PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
    "nGNgYGD4DwABBAEAfbLI3wAAAABJRU5ErkJggg=="
)
WEATHER = Tool(
    "get_weather",
    "Current weather for a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
TIME = Tool(
    "get_time",
    "Local time in a city",
    {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)


@dataclass(frozen=True)
class Scenario:
    """One conversation: the request, the upstream's answer, and what must survive."""

    name: str
    request: ChatRequest
    response: ChatResponse
    checks: frozenset[str] = field(default_factory=frozenset)


def _req(*messages: Message, **kw: object) -> ChatRequest:
    return ChatRequest(model="client-model", messages=messages, **kw)  # type: ignore[arg-type]


def _resp(*content: object, stop: StopReason = StopReason.END_TURN, **usage: int) -> ChatResponse:
    return ChatResponse(
        id="up1",
        model="upstream-model",
        content=content,  # type: ignore[arg-type]
        stop_reason=stop,
        usage=Usage(
            prompt_tokens=usage.get("prompt", 12),
            completion_tokens=usage.get("completion", 5),
            cached_tokens=usage.get("cached", 0),
            reasoning_tokens=usage.get("reasoning", 0),
        ),
    )


def _user(text: str) -> Message:
    return Message("user", (TextBlock(text),))


CALL_A = ToolUseBlock("call_a", "get_weather", '{"city":"Paris"}')
CALL_B = ToolUseBlock("call_b", "get_time", '{"city":"Tokyo"}')

SCENARIOS = [
    Scenario("plain_text", _req(_user("Say hi")), _resp(TextBlock("Hi!"))),
    Scenario(
        "multi_turn",
        _req(
            _user("My name is Ada."),
            Message("assistant", (TextBlock("Hello Ada."),)),
            _user("What is my name?"),
        ),
        _resp(TextBlock("Your name is Ada.")),
    ),
    Scenario(
        "system_prompt",
        _req(_user("Who are you?"), system=(TextBlock("You are a pirate."),)),
        _resp(TextBlock("Arr, a pirate!")),
    ),
    Scenario(
        "tool_round_trip",
        _req(
            _user("Weather in Paris?"),
            Message("assistant", (TextBlock("Let me check."), CALL_A)),
            Message("user", (ToolResultBlock("call_a", (TextBlock("18C and sunny"),)),)),
            tools=(WEATHER,),
            tool_choice=ToolChoice("auto"),
        ),
        _resp(TextBlock("It is 18C and sunny in Paris.")),
        frozenset({"tools"}),
    ),
    Scenario(
        "parallel_tools",
        _req(_user("Weather in Paris and time in Tokyo?"), tools=(WEATHER, TIME)),
        _resp(CALL_A, CALL_B, stop=StopReason.TOOL_USE),
        frozenset({"tools"}),
    ),
    Scenario(
        "image_input",
        _req(Message("user", (TextBlock("What is this?"), ImageBlock("image/png", PNG)))),
        _resp(TextBlock("A single pixel.")),
        frozenset({"image"}),
    ),
    Scenario(
        "stop_sequence",
        _req(_user("Count to ten"), stop=("7", "8", "9", "10", "11", "12")),
        _resp(TextBlock("1 2 3 4 5 6 ")),
        frozenset({"stop"}),
    ),
    Scenario(
        "max_tokens_stop",
        _req(_user("Write an essay"), max_tokens=16, temperature=0.5),
        _resp(TextBlock("Once upon a"), stop=StopReason.MAX_TOKENS, completion=16),
    ),
    Scenario(
        "usage_with_cache",
        _req(_user("Summarise the cached document")),
        _resp(TextBlock("Done."), prompt=2000, cached=1500, completion=40, reasoning=10),
        frozenset({"cache"}),
    ),
]
