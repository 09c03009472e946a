public import NIOHTTP1

/// Where and how a wire format is spoken upstream: the default base URL, the path appended to it, and the
/// headers that carry the provider key.
public struct UpstreamEndpoint: Sendable {
    public var defaultBaseURL: String
    public var path: String
    public var headers: @Sendable (_ apiKey: String?) -> HTTPHeaders

    public init(
        defaultBaseURL: String,
        path: String,
        headers: @escaping @Sendable (_ apiKey: String?) -> HTTPHeaders
    ) {
        self.defaultBaseURL = defaultBaseURL
        self.path = path
        self.headers = headers
    }

    /// The URL for a model, honouring its `api_base` override.
    public func url(apiBase: String?) -> String {
        var base = apiBase ?? defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    /// OpenAI and compatible servers: `{api_base}/chat/completions`, `Authorization: Bearer`.
    public static let openAI = UpstreamEndpoint(
        defaultBaseURL: "https://api.openai.com/v1",
        path: "/chat/completions"
    ) { apiKey in
        var headers = HTTPHeaders([("content-type", "application/json")])
        if let apiKey { headers.add(name: "authorization", value: "Bearer \(apiKey)") }
        return headers
    }

    /// Anthropic's Messages API: `{api_base}/v1/messages`, `x-api-key` and `anthropic-version`.
    public static let anthropic = UpstreamEndpoint(
        defaultBaseURL: "https://api.anthropic.com",
        path: "/v1/messages"
    ) { apiKey in
        var headers = HTTPHeaders([("content-type", "application/json"), ("anthropic-version", "2023-06-01")])
        if let apiKey { headers.add(name: "x-api-key", value: apiKey) }
        return headers
    }
}
