public import ConcordCore

/// An upstream that answers chat requests. Providers translate and transport; they know nothing of logging,
/// routing or callers — the gateway does that around them.
public protocol Provider: Sendable {
    /// A non-streamed answer. Throws `GatewayError` for every failure.
    func complete(_ request: ChatRequest, route: ModelRoute) async throws -> ChatResponse

    /// Starts a streamed answer. Returns once the upstream has accepted the request (so a refusal is still
    /// an ordinary HTTP error for the caller); the events then arrive as the upstream sends them.
    func stream(_ request: ChatRequest, route: ModelRoute) async throws -> ChatEventStream
}

/// A model resolved for one call: its configuration and the provider key to send upstream.
public struct ModelRoute: Sendable {
    public var model: ModelConfig
    /// The provider key, read once at start from the variable `model.apiKeyEnv` names. Never logged.
    public var apiKey: String?

    public init(model: ModelConfig, apiKey: String?) {
        self.model = model
        self.apiKey = apiKey
    }
}
