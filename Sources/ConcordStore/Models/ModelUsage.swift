import SQLKit

/// A row of `llm_model_configs`: a model's configuration and its live counters. JSON field names are the column
/// names; absent values encode as `null`.
public struct ModelUsage: Sendable, Hashable, Codable {
    public var modelID: String
    /// The provider kind (`anthropic`, `openai`, `mock`), kept as text so rows made by a `provider/model` first
    /// use read back whatever the gateway recorded.
    public var provider: String
    public var upstreamModel: String
    public var apiBase: String?
    public var apiKeyEnv: String?
    public var inputCostPerMTok: Double?
    public var outputCostPerMTok: Double?
    public var enabled: Bool
    /// Equal to the number of this model's rows in `llm_call_logs` (once pending records are written).
    public var totalRequests: Int
    /// Equal to the sum of `total_tokens` over this model's rows.
    public var totalTokens: Int
    /// Seconds since 1970, UTC: the newest `created_at` among the model's calls.
    public var lastUsedAt: Double?
    public var createdAt: Double
    public var updatedAt: Double

    enum CodingKeys: String, CodingKey {
        case modelID = "model_id"
        case provider
        case upstreamModel = "upstream_model"
        case apiBase = "api_base"
        case apiKeyEnv = "api_key_env"
        case inputCostPerMTok = "input_cost_per_mtok"
        case outputCostPerMTok = "output_cost_per_mtok"
        case enabled
        case totalRequests = "total_requests"
        case totalTokens = "total_tokens"
        case lastUsedAt = "last_used_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        modelID: String,
        provider: String,
        upstreamModel: String,
        apiBase: String? = nil,
        apiKeyEnv: String? = nil,
        inputCostPerMTok: Double? = nil,
        outputCostPerMTok: Double? = nil,
        enabled: Bool = true,
        totalRequests: Int = 0,
        totalTokens: Int = 0,
        lastUsedAt: Double? = nil,
        createdAt: Double,
        updatedAt: Double
    ) {
        self.modelID = modelID
        self.provider = provider
        self.upstreamModel = upstreamModel
        self.apiBase = apiBase
        self.apiKeyEnv = apiKeyEnv
        self.inputCostPerMTok = inputCostPerMTok
        self.outputCostPerMTok = outputCostPerMTok
        self.enabled = enabled
        self.totalRequests = totalRequests
        self.totalTokens = totalTokens
        self.lastUsedAt = lastUsedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(modelID, forKey: .modelID)
        try container.encode(provider, forKey: .provider)
        try container.encode(upstreamModel, forKey: .upstreamModel)
        try container.encode(apiBase, forKey: .apiBase)
        try container.encode(apiKeyEnv, forKey: .apiKeyEnv)
        try container.encode(inputCostPerMTok, forKey: .inputCostPerMTok)
        try container.encode(outputCostPerMTok, forKey: .outputCostPerMTok)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(totalRequests, forKey: .totalRequests)
        try container.encode(totalTokens, forKey: .totalTokens)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

extension ModelUsage {
    static let columns = [
        "model_id", "provider", "upstream_model", "api_base", "api_key_env", "input_cost_per_mtok",
        "output_cost_per_mtok", "enabled", "total_requests", "total_tokens", "last_used_at", "created_at", "updated_at",
    ]

    init(row: any SQLRow) throws {
        self.init(
            modelID: try row.decode(column: "model_id", as: String.self),
            provider: try row.decode(column: "provider", as: String.self),
            upstreamModel: try row.decode(column: "upstream_model", as: String.self),
            apiBase: try row.decode(column: "api_base", as: String?.self),
            apiKeyEnv: try row.decode(column: "api_key_env", as: String?.self),
            inputCostPerMTok: try row.decode(column: "input_cost_per_mtok", as: Double?.self),
            outputCostPerMTok: try row.decode(column: "output_cost_per_mtok", as: Double?.self),
            enabled: try row.decode(column: "enabled", as: Bool.self),
            totalRequests: try row.decode(column: "total_requests", as: Int.self),
            totalTokens: try row.decode(column: "total_tokens", as: Int.self),
            lastUsedAt: try row.decode(column: "last_used_at", as: DatabaseTimestamp?.self)?.seconds,
            createdAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).seconds,
            updatedAt: try row.decode(column: "updated_at", as: DatabaseTimestamp.self).seconds
        )
    }
}
