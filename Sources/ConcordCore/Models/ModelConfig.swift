/// The kinds of upstream the gateway can talk to.
public enum ProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    case anthropic
    case openai
    case mock
}

/// One model a caller can name: where it is served and what it costs.
public struct ModelConfig: Sendable, Hashable, Codable {
    /// What callers send as `model`.
    public var id: String
    public var provider: ProviderKind
    /// The model name sent upstream.
    public var upstreamModel: String
    /// Overrides the provider's base URL (`.../v1` for `openai`; the host root for `anthropic`).
    public var apiBase: String?
    /// The environment variable holding the provider key for this model.
    public var apiKeyEnv: String?
    /// USD per million prompt tokens; `nil` means unpriced.
    public var inputCostPerMTok: Double?
    /// USD per million completion tokens; `nil` means unpriced.
    public var outputCostPerMTok: Double?
    public var enabled: Bool
    /// How long the upstream may take, in seconds, before the call fails with 504.
    public var timeoutSeconds: Double
    /// `max_tokens` for providers that require one (Anthropic) when the caller sends none.
    public var defaultMaxTokens: Int

    public init(
        id: String,
        provider: ProviderKind,
        upstreamModel: String? = nil,
        apiBase: String? = nil,
        apiKeyEnv: String? = nil,
        inputCostPerMTok: Double? = nil,
        outputCostPerMTok: Double? = nil,
        enabled: Bool = true,
        timeoutSeconds: Double = 600,
        defaultMaxTokens: Int = 4096
    ) {
        self.id = id
        self.provider = provider
        self.upstreamModel = upstreamModel ?? id
        self.apiBase = apiBase
        self.apiKeyEnv = apiKeyEnv
        self.inputCostPerMTok = inputCostPerMTok
        self.outputCostPerMTok = outputCostPerMTok
        self.enabled = enabled
        self.timeoutSeconds = timeoutSeconds
        self.defaultMaxTokens = defaultMaxTokens
    }

    /// The longest `timeoutSeconds` may be: a day.
    public static let longestTimeoutSeconds: Double = 86_400
    /// What `timeout_seconds` must be, a model's or a provider's default.
    public static let timeoutRequirement = "must be a number of seconds above 0 and at most 86400"

    public static func isTimeout(_ seconds: Double) -> Bool {
        seconds.isFinite && seconds > 0 && seconds <= longestTimeoutSeconds
    }

    /// What is wrong with the configuration's numbers, if anything: the field, as the file and the API name it, and
    /// what it must be. A model with a problem is refused wherever it comes from.
    public var problem: (field: String, requirement: String)? {
        guard Self.isTimeout(timeoutSeconds) else { return ("timeout_seconds", Self.timeoutRequirement) }
        guard defaultMaxTokens > 0 else { return ("default_max_tokens", "must be at least 1") }
        for (field, price) in [("input_cost_per_mtok", inputCostPerMTok), ("output_cost_per_mtok", outputCostPerMTok)] {
            if let price, !(0...1_000_000).contains(price) {
                return (field, "must be a price in USD per million tokens from 0 to 1000000")
            }
        }
        return nil
    }

    /// The cost of a call in USD, or `nil` when the model has no price: unknown is never $0.
    public func cost(of usage: Usage) -> Double? {
        guard let input = inputCostPerMTok, let output = outputCostPerMTok else { return nil }
        return (Double(usage.promptTokens) * input + Double(usage.completionTokens) * output) / 1_000_000
    }
}
