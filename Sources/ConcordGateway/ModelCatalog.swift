public import ConcordCore
public import ConcordProviders

/// How to reach a provider when a caller names `provider/model` directly.
public struct ProviderSettings: Sendable, Hashable, Codable {
    public var apiBase: String?
    public var apiKeyEnv: String
    public var timeoutSeconds: Double

    public init(apiBase: String? = nil, apiKeyEnv: String, timeoutSeconds: Double = 600) {
        self.apiBase = apiBase
        self.apiKeyEnv = apiKeyEnv
        self.timeoutSeconds = timeoutSeconds
    }

    public static func defaultKeyEnv(for provider: ProviderKind) -> String {
        switch provider {
        case .openai: "OPENAI_API_KEY"
        case .anthropic: "ANTHROPIC_API_KEY"
        case .mock: "MOCK_API_KEY"
        }
    }
}

/// Resolves the model name a caller sent to a route: a configured model, `mock/<anything>`, or
/// `provider/model` for a configured provider. Built once from configuration and a snapshot of the
/// environment, so routing does no lookups per call.
public struct ModelCatalog: Sendable {
    /// Configured models in configuration order.
    public let models: [ModelConfig]
    private let byID: [String: ModelConfig]
    private let providers: [ProviderKind: ProviderSettings]
    private let keys: [String: String]

    /// - Parameters:
    ///   - providers: the providers callers may name directly as `provider/model`.
    ///   - environment: where `api_key_env` names are looked up; only those names are kept.
    public init(
        models: [ModelConfig],
        providers: [ProviderKind: ProviderSettings] = [:],
        environment: [String: String]
    ) {
        self.models = models
        var byID: [String: ModelConfig] = [:]
        for model in models where byID[model.id] == nil { byID[model.id] = model }
        self.byID = byID
        self.providers = providers
        var keys: [String: String] = [:]
        let names =
            models.map { $0.apiKeyEnv ?? ProviderSettings.defaultKeyEnv(for: $0.provider) }
            + providers.values.map(\.apiKeyEnv)
        for name in names where keys[name] == nil {
            if let value = environment[name], !value.isEmpty { keys[name] = value }
        }
        self.keys = keys
    }

    public func route(for name: String) throws(GatewayError) -> ModelRoute {
        if let model = byID[name] {
            guard model.enabled else {
                throw GatewayError(.modelNotFound, "The model '\(name)' is disabled.")
            }
            return ModelRoute(model: model, apiKey: key(for: model))
        }
        if let slash = name.firstIndex(of: "/") {
            let prefix = name[..<slash]
            let upstreamModel = String(name[name.index(after: slash)...])
            if let provider = ProviderKind(rawValue: String(prefix)), !upstreamModel.isEmpty {
                if provider == .mock {
                    return ModelRoute(
                        model: ModelConfig(id: name, provider: .mock, upstreamModel: upstreamModel), apiKey: nil)
                }
                if let settings = providers[provider] {
                    let model = ModelConfig(
                        id: name,
                        provider: provider,
                        upstreamModel: upstreamModel,
                        apiBase: settings.apiBase,
                        apiKeyEnv: settings.apiKeyEnv,
                        timeoutSeconds: settings.timeoutSeconds
                    )
                    return ModelRoute(model: model, apiKey: keys[settings.apiKeyEnv])
                }
            }
        }
        throw GatewayError(
            .modelNotFound,
            "The model '\(name)' does not exist. Use a configured model (GET /v1/models), 'mock/<name>', or 'provider/model' for a configured provider."
        )
    }

    /// The provider names a caller may prefix a model with.
    public var directProviders: [ProviderKind] {
        [.mock] + ProviderKind.allCases.filter { providers[$0] != nil && $0 != .mock }
    }

    private func key(for model: ModelConfig) -> String? {
        keys[model.apiKeyEnv ?? ProviderSettings.defaultKeyEnv(for: model.provider)]
    }
}
