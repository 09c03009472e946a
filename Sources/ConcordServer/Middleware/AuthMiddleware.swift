import Foundation
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
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let key = parts[1].trimmingCharacters(in: .whitespaces)
                return key.isEmpty ? nil : key
            }
            return nil
        }
        if let key = headers[HTTPField.Name("x-api-key")!], !key.isEmpty { return key }
        return nil
    }
}
