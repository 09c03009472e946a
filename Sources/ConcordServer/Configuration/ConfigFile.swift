import ConcordCore
import ConcordGateway
import ConcordStore

/// The configuration file (YAML, or JSON — YAML's subset), as written by users. Every key is optional.
///
/// ```yaml
/// server: { host: 127.0.0.1, port: 8080, max_body_bytes: 16777216 }
/// database: sqlite://./concord.sqlite
/// default_model: mock/default
/// providers:
///   openai: { api_base: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }
/// models:
///   - id: claude-sonnet-4
///     provider: anthropic
///     upstream_model: claude-sonnet-4-20250514
///     input_cost_per_mtok: 3.00
///     output_cost_per_mtok: 15.00
/// ```
struct ConfigFile: Decodable {
    struct Server: Decodable {
        var host: String?
        var port: Int?
        var maxBodyBytes: Int?
        var shutdownTimeoutSeconds: Double?
        enum CodingKeys: String, CodingKey {
            case host, port
            case maxBodyBytes = "max_body_bytes"
            case shutdownTimeoutSeconds = "shutdown_timeout_seconds"
        }
    }

    struct Provider: Decodable {
        var apiBase: String?
        var apiKeyEnv: String?
        var timeoutSeconds: Double?
        enum CodingKeys: String, CodingKey {
            case apiBase = "api_base"
            case apiKeyEnv = "api_key_env"
            case timeoutSeconds = "timeout_seconds"
        }
    }

    struct Model: Decodable {
        var id: String
        /// Defaults to `anthropic`, as in the review.
        var provider: ProviderKind?
        var upstreamModel: String?
        var apiBase: String?
        var apiKeyEnv: String?
        var inputCostPerMTok: Double?
        var outputCostPerMTok: Double?
        var enabled: Bool?
        var timeoutSeconds: Double?
        var defaultMaxTokens: Int?
        /// `false` records this model's calls as metadata only.
        var recordContent: Bool?
        enum CodingKeys: String, CodingKey {
            case id, provider, enabled
            case recordContent = "record_content"
            case upstreamModel = "upstream_model"
            case apiBase = "api_base"
            case apiKeyEnv = "api_key_env"
            case inputCostPerMTok = "input_cost_per_mtok"
            case outputCostPerMTok = "output_cost_per_mtok"
            case timeoutSeconds = "timeout_seconds"
            case defaultMaxTokens = "default_max_tokens"
        }
    }

    var server: Server?
    var database: String?
    var defaultModel: String?
    var providers: [String: Provider]?
    var models: [Model]?
    var limits: Limits?
    var recording: Recording?
    var writer: Writer?

    /// `limits: { default: {...}, users: {alice: {...}}, keys: {key_…: {...}} }`, each a `UsageLimits`.
    struct Limits: Decodable {
        var `default`: UsageLimits?
        var users: [String: UsageLimits]?
        var keys: [String: UsageLimits]?
    }

    /// `recording: { content: full|metadata, max_text_chars: N }`.
    struct Recording: Decodable {
        var content: RecordingPolicy.Content?
        var maxTextChars: Int?
        enum CodingKeys: String, CodingKey {
            case content
            case maxTextChars = "max_text_chars"
        }
    }

    /// `writer: { spill_mb: N, limit_mb: N }`: how much the call-record writer may hold in memory, in MiB.
    struct Writer: Decodable {
        var spillMB: Double?
        var limitMB: Double?
        enum CodingKeys: String, CodingKey {
            case spillMB = "spill_mb"
            case limitMB = "limit_mb"
        }
    }

    enum CodingKeys: String, CodingKey {
        case server, database, providers, models, limits, recording, writer
        case defaultModel = "default_model"
    }
}
