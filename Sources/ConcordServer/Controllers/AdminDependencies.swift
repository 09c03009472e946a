public import ConcordCore
public import ConcordGateway
public import ConcordStore
import Hummingbird

/// What the administration routes need: key management, model configuration and limits.
public struct AdminDependencies: Sendable {
    public var store: SQLStore
    /// Told about revocations, so this replica refuses a revoked key at once.
    public var verifier: StoreKeyVerifier?
    public var limiter: UsageLimiter
    /// For rebuilding the routing table after a model change: the providers callers may name directly and the
    /// environment the gateway started with (where `api_key_env` names are looked up).
    public var providers: [ProviderKind: ProviderSettings]
    public var environment: [String: String]

    public init(
        store: SQLStore,
        verifier: StoreKeyVerifier?,
        limiter: UsageLimiter,
        providers: [ProviderKind: ProviderSettings],
        environment: [String: String]
    ) {
        self.store = store
        self.verifier = verifier
        self.limiter = limiter
        self.providers = providers
        self.environment = environment
    }
}

extension GatewayRequestContext {
    /// The caller, who must hold an admin key (else 403).
    func requireAdmin() throws -> AuthenticatedCaller {
        let caller = try requireCaller()
        guard caller.isAdmin else { throw GatewayError(.forbidden, "This needs an admin key.") }
        return caller
    }
}

/// Adds `/api/llm/keys`, `/api/llm/models` and `/api/llm/limits` when administration is configured.
func addAdminRoutes(to router: Router<GatewayRequestContext>, _ dependencies: RouterDependencies, auth: AuthMiddleware)
{
    guard let admin = dependencies.admin else { return }
    let keys = KeysController(store: admin.store, verifier: admin.verifier)
    let models = ModelsAdminController(
        gateway: dependencies.gateway,
        store: admin.store,
        providers: admin.providers,
        environment: admin.environment
    )
    let limits = LimitsController(store: admin.store, limiter: admin.limiter)
    router.group("api/llm").add(middleware: auth).add(middleware: OffEventLoopMiddleware())
        .get("keys", use: keys.list)
        .post("keys", use: keys.create)
        .delete("keys/{id}", use: keys.revoke)
        .get("models", use: models.list)
        .post("models", use: models.create)
        .patch("models/{id}", use: models.update)
        .get("limits", use: limits.show)
        .put("limits/{scope}/{subject}", use: limits.set)
        .delete("limits/{scope}/{subject}", use: limits.remove)
}
