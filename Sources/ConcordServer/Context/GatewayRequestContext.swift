public import Hummingbird

/// The per-request context: Hummingbird's core storage plus who the authenticated caller is.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on every `/v1` and `/api` route.
    public var caller: AuthenticatedCaller?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// The authenticated caller; routes behind `AuthMiddleware` can rely on it.
    public func requireCaller() throws -> AuthenticatedCaller {
        guard let caller else { throw GatewayErrorResponse.unauthorized }
        return caller
    }
}
