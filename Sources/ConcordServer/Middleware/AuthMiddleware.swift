import HTTPTypes
public import Hummingbird

/// Requires an API key on every route it guards, and puts the caller into the request context.
/// Accepts `Authorization: Bearer KEY` (OpenAI SDKs, curl) and `x-api-key: KEY` (Anthropic SDKs).
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext
    let verifier: any APIKeyVerifier

    public init(verifier: any APIKeyVerifier) {
        self.verifier = verifier
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let key = Self.presentedKey(request.headers), let caller = await verifier.verify(key) else {
            throw GatewayErrorResponse.unauthorized
        }
        var context = context
        context.caller = caller
        return try await AuthenticatedCaller.$current.withValue(caller) { try await next(request, context) }
    }

    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization] {
            return bearerToken(authorization)
        }
        if let key = headers[apiKeyHeader], !key.isEmpty { return key }
        return nil
    }

    private static let apiKeyHeader = HTTPField.Name("x-api-key")!

    /// The token of `Bearer TOKEN` (the scheme in any case, spaces and tabs around the token ignored), or `nil`.
    /// Plain string work on every request: no Foundation character sets.
    static func bearerToken(_ authorization: String) -> String? {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let space = authorization.firstIndex(where: isBlank) else { return nil }
        let scheme = authorization[..<space].utf8
        guard scheme.count == 6, zip(scheme, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return nil }
        let token = authorization[space...].drop(while: isBlank)
        let end = token.lastIndex(where: { !isBlank($0) }).map { token.index(after: $0) } ?? token.startIndex
        return token.startIndex == end ? nil : String(token[..<end])
    }
}
