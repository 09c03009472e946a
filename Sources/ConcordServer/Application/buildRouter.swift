import ConcordCore
public import ConcordGateway
import ConcordWire
public import Hummingbird

/// What the routes need, built once by `buildApplication` (or by a test).
public struct RouterDependencies: Sendable {
    public var gateway: Gateway
    public var history: any CallHistory
    public var verifier: any APIKeyVerifier
    public var health: HealthController
    public var maxBodyBytes: Int
    public var defaultModel: String
    /// Usage reports for `/api/llm/stats` and `/dashboard`; without it those routes are not served.
    public var usage: (any UsageStatsSource)?
    /// Key management, model configuration writes and limits (`/api/llm/keys|models|limits`); without it those
    /// routes are not served.
    public var admin: AdminDependencies?

    public init(
        gateway: Gateway,
        history: any CallHistory,
        verifier: any APIKeyVerifier,
        health: HealthController,
        maxBodyBytes: Int,
        defaultModel: String,
        usage: (any UsageStatsSource)? = nil,
        admin: AdminDependencies? = nil
    ) {
        self.gateway = gateway
        self.history = history
        self.verifier = verifier
        self.health = health
        self.maxBodyBytes = maxBodyBytes
        self.defaultModel = defaultModel
        self.usage = usage
        self.admin = admin
    }
}

/// All HTTP routes. Everything under `/v1` and `/api` needs an API key; `/health` does not. Calls run on the
/// connection's event loop; history, reports, the dashboard and admin routes run off it (`OffEventLoopMiddleware`).
public func buildRouter(_ dependencies: RouterDependencies) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: ErrorMiddleware(maxBodyBytes: dependencies.maxBodyBytes))
    router.get("/health", use: dependencies.health.report)

    let auth = AuthMiddleware(verifier: dependencies.verifier)
    let openAI = ChatController(
        format: OpenAIChatFormat.self, gateway: dependencies.gateway, maxBodyBytes: dependencies.maxBodyBytes)
    let anthropic = ChatController(
        format: AnthropicMessagesFormat.self,
        gateway: dependencies.gateway,
        maxBodyBytes: dependencies.maxBodyBytes
    )
    let models = ModelsController(gateway: dependencies.gateway, defaultModel: dependencies.defaultModel)
    let simple = SimpleChatController(
        gateway: dependencies.gateway,
        maxBodyBytes: dependencies.maxBodyBytes,
        defaultModel: dependencies.defaultModel
    )

    router.group("v1").add(middleware: auth)
        .post("chat/completions", use: openAI.handle)
        .post("messages", use: anthropic.handle)
        .get("models", use: models.list)
    let logs = CallLogController(history: dependencies.history)
    let traces = TraceController(history: dependencies.history)
    router.group("api/llm").add(middleware: auth)
        .post("chat", use: simple.handle)
    router.group("api/llm").add(middleware: auth).add(middleware: OffEventLoopMiddleware())
        .get("logs", use: logs.list)
        .get("logs/{id}", use: logs.one)
        .get("traces/{trace_id}", use: traces.tree)
    addUsageRoutes(to: router, dependencies, auth: auth)
    addAdminRoutes(to: router, dependencies, auth: auth)
    return router
}
