extension AuthenticatedCaller {
    /// The caller of the request being handled, set by `AuthMiddleware` around the route. The gateway's limit check
    /// reads the key id from here: the gateway itself knows users (in `CallContext`) but not keys.
    @TaskLocal public static var current: AuthenticatedCaller?
}
