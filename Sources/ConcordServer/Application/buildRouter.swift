import ConcordCore
public import ConcordGateway
import ConcordWire
public import Hummingbird

/// What the routes need, built once by `buildApplication` (or by a test).
public struct RouterDependencies: Sendable {
    public var gateway: Gateway
    public var verifier: any APIKeyVerifier
    public var health: HealthController
    public var maxBodyBytes: Int
    public var defaultModel: String

    public init(
        gateway: Gateway,
        verifier: any APIKeyVerifier,
        health: HealthController,
        maxBodyBytes: Int,
        defaultModel: String
    ) {
        self.gateway = gateway
        self.verifier = verifier
        self.health = health
        self.maxBodyBytes = maxBodyBytes
        self.defaultModel = defaultModel
    }
}

/// All HTTP routes. Everything under `/v1` and `/api` needs an API key; `/health` does not.
public func buildRouter(_ dependencies: RouterDependencies) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: ErrorMiddleware(maxBodyBytes: dependencies.maxBodyBytes))
    router.get("/health", use: dependencies.health.report)

    let auth = AuthMiddleware(verifier: dependencies.verifier)
    let openAI = ChatController(format: OpenAIChatFormat.self, gateway: dependencies.gateway, maxBodyBytes: dependencies.maxBodyBytes)
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
    router.group("api").add(middleware: auth)
        .post("llm/chat", use: simple.handle)
    return router
}
