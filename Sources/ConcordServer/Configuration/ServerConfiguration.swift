public import ConcordCore
public import ConcordGateway
import ConcordStore
public import Foundation
import Yams

/// Everything `concord serve` runs with, resolved from flags, environment and the configuration file —
/// flags beat environment, environment beats the file, the file beats the defaults.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var databaseURL = "sqlite://./concord.sqlite"
    public var models: [ModelConfig] = []
    public var providers: [ProviderKind: ProviderSettings] = [:]
    /// The model `/api/llm/chat` uses when the caller names none.
    public var defaultModel = "mock/default"
    /// Accepted as an admin key as-is (`CONCORD_ADMIN_KEY`).
    public var adminKey: String?
    /// Request bodies above this are refused with 413.
    public var maxBodyBytes = 16 << 20
    /// The environment the provider keys are read from (once, at start).
    public var environment: [String: String] = [:]
    /// Where records wait on disk while the database is unavailable.
    public var spoolPath: String?
    /// Budgets and rate limits from the file (`limits:`); the admin API's override them per user or key.
    public var limits = LimitPolicy()
    /// How much call content records keep (`recording:`, and `record_content: false` on a model).
    public var recording = RecordingPolicy.full
    /// How long a graceful shutdown may take (`server.shutdown_timeout_seconds`,
    /// `CONCORD_SHUTDOWN_TIMEOUT_SECONDS`): in-flight calls finish and records are written until then; past it,
    /// whatever is still in memory goes to the spool at once and the process exits. A database that stops
    /// answering without closing its connections (a network partition) can therefore never hold the process.
    public var shutdownTimeout: Duration = .seconds(25)
    /// How much the call-record writer may hold in memory (`writer: { spill_mb, limit_mb }`).
    public var writerMemory = WriterMemory.standard

    public init() {}

    /// The call-record writer's memory bounds, in bytes of records (their texts plus a small allowance each).
    public struct WriterMemory: Sendable, Equatable {
        /// A queue this large is written at once, and no transaction holds more. While the database is down or a
        /// write is stuck, the queue goes to the spool once it holds this much (or 5,000 records).
        public var spillBytes: Int
        /// The queue never holds more than this, whatever the database does: the call that would pass it moves the
        /// queue to the spool itself (or at 50,000 records) — except one record longer than this, alone in the
        /// queue. A write under way holds at most what the queue held when it began, and a spool append briefly
        /// holds its records' JSON, so records in memory stay within about twice this.
        public var limitBytes: Int

        public init(spillBytes: Int, limitBytes: Int) {
            self.spillBytes = spillBytes
            self.limitBytes = limitBytes
        }

        /// The writer's own defaults (64 and 512 MiB).
        public static let standard = WriterMemory(
            spillBytes: LogWriter.Configuration.defaultMemoryThresholdBytes,
            limitBytes: LogWriter.Configuration.defaultHardCapBytes
        )
    }

    /// The values given on the command line; `nil` means not given.
    public struct Overrides: Sendable {
        public var host: String?
        public var port: Int?
        public var databaseURL: String?
        public var configPath: String?

        public init(host: String? = nil, port: Int? = nil, databaseURL: String? = nil, configPath: String? = nil) {
            self.host = host
            self.port = port
            self.databaseURL = databaseURL
            self.configPath = configPath
        }
    }

    /// Resolves the configuration. Throws `ConfigurationError` naming the file and key at fault.
    public static func load(
        overrides: Overrides = Overrides(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.environment = environment
        if let path = overrides.configPath ?? environment["CONCORD_CONFIG"], !path.isEmpty {
            try configuration.apply(try ConfigFileLoader.load(path: path), from: path)
        }
        if let host = environment["CONCORD_HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["CONCORD_PORT"], !port.isEmpty {
            guard let value = Int(port), (0...65535).contains(value) else {
                throw ConfigurationError("CONCORD_PORT must be a port number, not '\(port)'.")
            }
            configuration.port = value
        }
        if let url = environment["CONCORD_DATABASE_URL"], !url.isEmpty { configuration.databaseURL = url }
        if let key = environment["CONCORD_ADMIN_KEY"], !key.isEmpty { configuration.adminKey = key }
        if let seconds = environment["CONCORD_SHUTDOWN_TIMEOUT_SECONDS"], !seconds.isEmpty {
            configuration.shutdownTimeout = try shutdownTimeout(
                seconds: Double(seconds), named: "CONCORD_SHUTDOWN_TIMEOUT_SECONDS", given: seconds)
        }
        if let host = overrides.host { configuration.host = host }
        if let port = overrides.port { configuration.port = port }
        if let url = overrides.databaseURL { configuration.databaseURL = url }
        configuration.addProvidersWithKeys()
        return configuration
    }

    private static func shutdownTimeout(seconds: Double?, named name: String, given: String) throws -> Duration {
        guard let seconds, seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw ConfigurationError("\(name) must be a number of seconds above 0, not '\(given)'.")
        }
        return .milliseconds(Int64((seconds * 1_000).rounded()))
    }

    /// MiB given in the file as bytes; `nil` when not given.
    private static func bytes(mebibytes value: Double?, named name: String) throws -> Int? {
        guard let value else { return nil }
        guard value.isFinite, value >= 1, value <= 1_048_576 else {
            let given = value.isFinite && value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
            throw ConfigurationError("\(name) must be a number of MiB from 1 to 1048576, not '\(given)'.")
        }
        return Int(value * 1_048_576)
    }

    mutating func apply(_ file: ConfigFile, from path: String) throws {
        if let server = file.server {
            host = server.host ?? host
            port = server.port ?? port
            maxBodyBytes = server.maxBodyBytes ?? maxBodyBytes
            guard (0...65535).contains(port) else {
                throw ConfigurationError("\(path): server.port must be a port number (0 to 65535), not \(port).")
            }
            guard maxBodyBytes >= 1 else {
                throw ConfigurationError("\(path): server.max_body_bytes must be at least 1, not \(maxBodyBytes).")
            }
            if let seconds = server.shutdownTimeoutSeconds {
                shutdownTimeout = try Self.shutdownTimeout(
                    seconds: seconds, named: "\(path): server.shutdown_timeout_seconds", given: "\(seconds)")
            }
        }
        databaseURL = file.database ?? databaseURL
        for (name, entry) in file.providers ?? [:] {
            guard let kind = ProviderKind(rawValue: name) else {
                throw ConfigurationError("\(path): providers.\(name): unknown provider; use anthropic, openai or mock.")
            }
            let timeout = entry.timeoutSeconds ?? 600
            guard ModelConfig.isTimeout(timeout) else {
                throw ConfigurationError(
                    "\(path): providers.\(name).timeout_seconds \(ModelConfig.timeoutRequirement).")
            }
            providers[kind] = ProviderSettings(
                apiBase: entry.apiBase,
                apiKeyEnv: entry.apiKeyEnv ?? ProviderSettings.defaultKeyEnv(for: kind),
                timeoutSeconds: timeout
            )
        }
        var seen = Set<String>()
        for (index, entry) in (file.models ?? []).enumerated() {
            guard !entry.id.isEmpty else { throw ConfigurationError("\(path): models[\(index)].id must not be empty.") }
            guard seen.insert(entry.id).inserted else {
                throw ConfigurationError("\(path): models[\(index)].id '\(entry.id)' is configured twice.")
            }
            let provider = entry.provider ?? .anthropic
            let settings = providers[provider]
            let model = ModelConfig(
                id: entry.id,
                provider: provider,
                upstreamModel: entry.upstreamModel ?? entry.id,
                apiBase: entry.apiBase ?? settings?.apiBase,
                apiKeyEnv: entry.apiKeyEnv ?? settings?.apiKeyEnv,
                inputCostPerMTok: entry.inputCostPerMTok,
                outputCostPerMTok: entry.outputCostPerMTok,
                enabled: entry.enabled ?? true,
                timeoutSeconds: entry.timeoutSeconds ?? settings?.timeoutSeconds ?? 600,
                defaultMaxTokens: entry.defaultMaxTokens ?? 4096
            )
            if let problem = model.problem {
                throw ConfigurationError("\(path): models[\(index)].\(problem.field) \(problem.requirement).")
            }
            models.append(model)
        }
        if let fileLimits = file.limits {
            limits = LimitPolicy(
                defaultUser: fileLimits.default,
                users: fileLimits.users ?? [:],
                keys: fileLimits.keys ?? [:]
            )
        }
        if let fileRecording = file.recording {
            if let maxTextChars = fileRecording.maxTextChars, maxTextChars < 0 {
                throw ConfigurationError("\(path): recording.max_text_chars must not be negative.")
            }
            recording.content = fileRecording.content ?? recording.content
            recording.maxTextChars = fileRecording.maxTextChars
        }
        if let writer = file.writer {
            let spill = try Self.bytes(mebibytes: writer.spillMB, named: "\(path): writer.spill_mb")
            let limit = try Self.bytes(mebibytes: writer.limitMB, named: "\(path): writer.limit_mb")
            let limitBytes = limit ?? max(writerMemory.limitBytes, spill ?? 0)
            let memory = WriterMemory(
                spillBytes: spill ?? min(writerMemory.spillBytes, limitBytes), limitBytes: limitBytes)
            guard memory.limitBytes >= memory.spillBytes else {
                throw ConfigurationError(
                    "\(path): writer.limit_mb must be at least writer.spill_mb (the spool takes over before the limit)."
                )
            }
            writerMemory = memory
        }
        recording.metadataOnlyModels = Set((file.models ?? []).filter { $0.recordContent == false }.map(\.id))
        if let model = file.defaultModel {
            defaultModel = model
        } else if let first = models.first {
            defaultModel = first.id
        }
    }

    /// A provider whose default key variable is set may be named directly (`openai/gpt-4o-mini`).
    mutating func addProvidersWithKeys() {
        for kind in [ProviderKind.openai, .anthropic] where providers[kind] == nil {
            let variable = ProviderSettings.defaultKeyEnv(for: kind)
            if let key = environment[variable], !key.isEmpty {
                providers[kind] = ProviderSettings(apiKeyEnv: variable)
            }
        }
    }

    /// The routing table this configuration describes.
    public var catalog: ModelCatalog {
        ModelCatalog(models: models, providers: providers, environment: environment)
    }
}

/// A configuration problem, said so that the user can fix it.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

enum ConfigFileLoader {
    static func load(path: String) throws -> ConfigFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("Cannot read the configuration file '\(path)': \(error.localizedDescription)")
        }
        do {
            return try YAMLDecoder().decode(ConfigFile.self, from: text)
        } catch let error as DecodingError {
            throw ConfigurationError("\(path): \(describe(error))")
        } catch {
            throw ConfigurationError("\(path): not valid YAML or JSON: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: [
                "."
            ])
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is required."
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
