// MockUpstream: a fake LLM provider for tests, demos and benchmarks.
//
// It speaks OpenAI Chat Completions (`POST /v1/chat/completions`) and Anthropic Messages (`POST /v1/messages`),
// streamed and not, closely enough for the official SDKs to parse, and answers deterministically:
// "Mock reply to: <first 40 characters of the last user message> - …", a tool call when tools are offered
// and the user has just spoken, a JSON object in JSON mode. Usage is estimated as
// prompt = characters / 4 (at least 1) + 3 per message, completion = reply characters / 4 (at least 1),
// identically streamed or not. `max_tokens` below that truncates the reply (`length` / `max_tokens`).
//
// Both routes require a credential (OpenAI: `Authorization: Bearer …`; Anthropic: `x-api-key`, or the
// `Authorization: Bearer …` that current Anthropic SDKs send) and echo it back in the
// `x-mock-received-key` response header, so gateway tests can check which key reached the upstream.
//
// Fault injection, chosen by words in the requested model name (words split on - _ . : /, any prefix allowed,
// e.g. `gpt-4o-error-429`, `mock-latency-200-stream-cut`):
//
// | model name contains  | effect                                                                                   |
// |----------------------|------------------------------------------------------------------------------------------|
// | `latency-<ms>`       | wait <ms> before answering (streams: headers at once, first event after <ms>); combines   |
// | `slow-stream-<ms>`   | a normal stream with <ms> between events; combines with the others                       |
// | `error-<status>`     | that status (400–599) with an error body in the route's format; `error-429` adds          |
// |                      | `retry-after: 7`; common ones: `error-429`, `error-500`, `error-503`, `error-529`         |
// | `stream-cut`         | streams: preamble and 2 content deltas, then the connection drops without final events;   |
// |                      | non-streamed: 200 with the first half of the JSON body                                    |
// | `malformed`          | non-streamed: 200 whose body is not JSON; streams: the second event's data is not JSON    |
// | `hang`               | never answers; ends when the client closes the connection (or after an hour)              |
// | anything else        | a normal answer                                                                          |
//
// Error bodies: OpenAI `{"error": {"message", "type", "param", "code"}}` (429: type `requests`, code
// `rate_limit_exceeded`); Anthropic `{"type": "error", "error": {"type", "message"}}` (429 `rate_limit_error`,
// 500 `api_error`, 503/529 `overloaded_error`). A body that is not JSON, or lacks `model`/`messages`
// (or Anthropic's `max_tokens`), is a 400 in the route's format; a missing credential is a 401.

public import Hummingbird

/// The mock upstream's routes, for `app.test(.router)` or for mounting next to other routes.
///
/// No logging or middleware: benchmarks measure the gateway, so the mock adds nothing per request.
public func buildMockUpstreamRouter() -> Router<MockUpstreamRequestContext> {
    let router = Router(context: MockUpstreamRequestContext.self)
    let chatCompletions = ChatEndpoint<OpenAIChatFormat>()
    let messages = ChatEndpoint<AnthropicMessagesFormat>()
    router.post("/v1/chat/completions") { request, context in
        try await chatCompletions.respond(to: request, context: context)
    }
    router.post("/v1/messages") { request, context in
        try await messages.respond(to: request, context: context)
    }
    router.get("/v1/models") { request, _ in
        ModelCatalog.response(to: request)
    }
    router.get("/health") { _, _ in
        ModelCatalog.healthResponse
    }
    return router
}

/// The mock upstream as a runnable Hummingbird application (`concord mock-upstream`).
public func buildMockUpstream(_ configuration: MockUpstreamConfiguration) -> some ApplicationProtocol {
    Application(
        router: buildMockUpstreamRouter(),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "concord-mock-upstream"
        )
    )
}
