public import ConcordCore
public import ConcordGateway
public import ConcordStore
import ConcordWire
import Foundation
public import Hummingbird
import NIOFoundationCompat

/// `GET /api/llm/models` (every configuration with its live counters), `POST /api/llm/models` and
/// `PATCH /api/llm/models/{id}` (admin): a write stores the configuration row and replaces the gateway's routing
/// table at once, so the next call already goes the new way. Provider keys are never sent or stored: a model names
/// the environment variable (`api_key_env`) read from the environment the gateway started with.
public struct ModelsAdminController: Sendable {
    let gateway: Gateway
    let store: SQLStore
    let editor: ModelEditor

    public init(
        gateway: Gateway,
        store: SQLStore,
        providers: [ProviderKind: ProviderSettings],
        environment: [String: String]
    ) {
        self.gateway = gateway
        self.store = store
        self.editor = ModelEditor(gateway: gateway, store: store, providers: providers, environment: environment)
    }

    /// A model configuration as the API takes it; on PATCH every field is optional.
    struct ModelInput: Decodable {
        var id: String?
        var provider: ProviderKind?
        var upstreamModel: String?
        var apiBase: String?
        var apiKeyEnv: String?
        var inputCostPerMTok: Double?
        var outputCostPerMTok: Double?
        var enabled: Bool?
        var timeoutSeconds: Double?
        var defaultMaxTokens: Int?
        enum CodingKeys: String, CodingKey {
            case id, provider, enabled
            case upstreamModel = "upstream_model"
            case apiBase = "api_base"
            case apiKeyEnv = "api_key_env"
            case inputCostPerMTok = "input_cost_per_mtok"
            case outputCostPerMTok = "output_cost_per_mtok"
            case timeoutSeconds = "timeout_seconds"
            case defaultMaxTokens = "default_max_tokens"
        }

        func applied(to base: ModelConfig) throws(GatewayError) -> ModelConfig {
            for (field, value) in [
                ("id", id), ("upstream_model", upstreamModel), ("api_base", apiBase), ("api_key_env", apiKeyEnv),
            ] {
                _ = try TextInput.check(value, field: field)
            }
            var model = base
            model.provider = provider ?? model.provider
            model.upstreamModel = upstreamModel ?? model.upstreamModel
            model.apiBase = apiBase ?? model.apiBase
            model.apiKeyEnv = apiKeyEnv ?? model.apiKeyEnv
            model.inputCostPerMTok = inputCostPerMTok ?? model.inputCostPerMTok
            model.outputCostPerMTok = outputCostPerMTok ?? model.outputCostPerMTok
            model.enabled = enabled ?? model.enabled
            model.timeoutSeconds = timeoutSeconds ?? model.timeoutSeconds
            model.defaultMaxTokens = defaultMaxTokens ?? model.defaultMaxTokens
            if let apiKeyEnv = model.apiKeyEnv, apiKeyEnv.isEmpty || apiKeyEnv.contains(where: \.isWhitespace) {
                throw .invalidField("api_key_env", "'api_key_env' names an environment variable, not a key.")
            }
            if let problem = model.problem {
                throw .invalidField(problem.field, "'\(problem.field)' \(problem.requirement).")
            }
            return model
        }
    }

    struct ModelList: Encodable {
        var data: [ModelUsage]
    }

    public func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireCaller()
        return JSONResponse.make(ModelList(data: try await store.models()))
    }

    public func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let input = try await Self.input(request)
        guard let id = input.id?.trimmingCharacters(in: .whitespaces), !id.isEmpty, id.count <= 200 else {
            throw GatewayError.invalidField("id", "'id' is required: the model name callers will send.")
        }
        let base = ModelConfig(id: id, provider: input.provider ?? .anthropic)
        let model = try await editor.create(try input.applied(to: base))
        return JSONResponse.make(try await usage(of: model.id), status: .created)
    }

    public func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let id = try context.parameters.require("id")
        let input = try await Self.input(request)
        if let newID = input.id, newID != id {
            throw GatewayError.invalidField("id", "A model's id cannot change; create a new model instead.")
        }
        let model = try await editor.update(id: id) { base throws(GatewayError) in try input.applied(to: base) }
        return JSONResponse.make(try await usage(of: model.id))
    }

    private func usage(of id: String) async throws -> ModelUsage {
        guard let row = try await store.models().first(where: { $0.modelID == id }) else {
            throw GatewayError(.internalError, "The model was saved but cannot be read back.")
        }
        return row
    }

    private static func input(_ request: Request) async throws -> ModelInput {
        let body = try await request.body.collect(upTo: 64 << 10)
        return try WireJSON.decodeRequest(ModelInput.self, from: Data(buffer: body, byteTransferStrategy: .noCopy))
    }
}

/// Serialises model configuration writes, so two concurrent edits never build the routing table from the same
/// stale list and lose one of them.
actor ModelEditor {
    let gateway: Gateway
    let store: SQLStore
    let providers: [ProviderKind: ProviderSettings]
    let environment: [String: String]

    init(gateway: Gateway, store: SQLStore, providers: [ProviderKind: ProviderSettings], environment: [String: String])
    {
        self.gateway = gateway
        self.store = store
        self.providers = providers
        self.environment = environment
    }

    func create(_ model: ModelConfig) async throws -> ModelConfig {
        if gateway.catalog.models.contains(where: { $0.id == model.id }) {
            throw GatewayError.invalidField(
                "id", "The model '\(model.id)' exists already; change it with PATCH /api/llm/models/\(model.id).")
        }
        try await save(model)
        return model
    }

    func update(id: String, _ change: (ModelConfig) throws(GatewayError) -> ModelConfig) async throws -> ModelConfig {
        let base: ModelConfig
        if let configured = gateway.catalog.models.first(where: { $0.id == id }) {
            base = configured
        } else if let row = try await store.models().first(where: { $0.modelID == id }),
            let stored = ModelConfig(stored: row)
        {
            base = stored
        } else {
            throw GatewayError(.notFound, "No model with id '\(id)'.")
        }
        let model = try change(base)
        try await save(model)
        return model
    }

    private func save(_ model: ModelConfig) async throws {
        try await store.upsertModels([model])
        var models = gateway.catalog.models
        if let index = models.firstIndex(where: { $0.id == model.id }) {
            models[index] = model
        } else {
            models.append(model)
        }
        gateway.updateCatalog(ModelCatalog(models: models, providers: providers, environment: environment))
    }
}

extension ModelConfig {
    /// A configuration read back from `llm_model_configs` (which does not keep the timeout or default
    /// `max_tokens`: those take their defaults).
    init?(stored row: ModelUsage) {
        guard let provider = ProviderKind(rawValue: row.provider) else { return nil }
        self.init(
            id: row.modelID,
            provider: provider,
            upstreamModel: row.upstreamModel,
            apiBase: row.apiBase,
            apiKeyEnv: row.apiKeyEnv,
            inputCostPerMTok: row.inputCostPerMTok,
            outputCostPerMTok: row.outputCostPerMTok,
            enabled: row.enabled
        )
    }
}

extension ServerConfiguration {
    /// The routing table at start: the file's models, then the models stored in earlier runs that the file does not
    /// name (added through `POST /api/llm/models`), so an admin's additions survive a restart. Rows for direct
    /// `provider/model` names (made by the counters of such calls) are left out: those names route by themselves.
    /// A model stays routable until disabled (`PATCH … {"enabled": false}`), even if it leaves the file.
    func catalog(including stored: [ModelUsage]) -> ModelCatalog {
        let named = Set(models.map(\.id))
        let added = stored.compactMap { row -> ModelConfig? in
            guard !named.contains(row.modelID) else { return nil }
            if let slash = row.modelID.firstIndex(of: "/"), ProviderKind(rawValue: String(row.modelID[..<slash])) != nil
            {
                return nil
            }
            return ModelConfig(stored: row)
        }
        return ModelCatalog(models: models + added, providers: providers, environment: environment)
    }
}
