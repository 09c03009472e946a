import ConcordCore
public import ConcordStore
import ConcordWire
import Foundation
public import Hummingbird
import NIOFoundationCompat

/// `GET /api/llm/limits`: an admin sees every limit (the file's and the API's); a user sees the limits that apply
/// to them and their key, and what they used. `PUT` / `DELETE /api/llm/limits/{user|key}/{id}` (admin) set or
/// remove one user's or key's limits, which then override the file's.
public struct LimitsController: Sendable {
    let store: SQLStore
    let limiter: UsageLimiter

    public init(store: SQLStore, limiter: UsageLimiter) {
        self.store = store
        self.limiter = limiter
    }

    struct AdminView: Encodable {
        struct Configured: Encodable {
            var `default`: UsageLimits?
            var users: [String: UsageLimits]
            var keys: [String: UsageLimits]
        }
        struct Stored: Encodable {
            var scope: LimitScope
            var subject: String
            var limits: UsageLimits
        }
        var configured: Configured
        var stored: [Stored]
    }

    struct CallerView: Encodable {
        struct Applying: Encodable {
            var user: UsageLimits?
            var key: UsageLimits?
        }
        struct Used: Encodable {
            var requestsThisMinute: Int
            var tokensThisMinute: Int
            var tokensToday: Int
            var usdToday: Double
            var tokensThisMonth: Int
            var usdThisMonth: Double
            enum CodingKeys: String, CodingKey {
                case requestsThisMinute = "requests_this_minute"
                case tokensThisMinute = "tokens_this_minute"
                case tokensToday = "tokens_today"
                case usdToday = "usd_today"
                case tokensThisMonth = "tokens_this_month"
                case usdThisMonth = "usd_this_month"
            }
        }
        var userID: String
        var limits: Applying
        var usage: Used
        enum CodingKeys: String, CodingKey {
            case limits, usage
            case userID = "user_id"
        }
    }

    public func show(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        if caller.isAdmin {
            let policy = limiter.configured
            let stored = try await store.storedLimits().map {
                AdminView.Stored(scope: $0.scope, subject: $0.subject, limits: $0.limits)
            }
            return JSONResponse.make(
                AdminView(
                    configured: .init(default: policy.defaultUser, users: policy.users, keys: policy.keys),
                    stored: stored
                )
            )
        }
        let applying = limiter.limits(user: caller.userID, key: caller.keyID)
        let used = limiter.usage(ofUser: caller.userID)
        return JSONResponse.make(
            CallerView(
                userID: caller.userID,
                limits: .init(user: applying.user, key: applying.key),
                usage: .init(
                    requestsThisMinute: used.minuteRequests,
                    tokensThisMinute: used.minuteTokens,
                    tokensToday: used.dayTokens,
                    usdToday: used.dayUSD,
                    tokensThisMonth: used.monthTokens,
                    usdThisMonth: used.monthUSD
                )
            )
        )
    }

    public func set(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let (scope, subject) = try Self.target(context)
        let body = try await request.body.collect(upTo: 64 << 10)
        let limits = try WireJSON.decodeRequest(
            UsageLimits.self, from: Data(buffer: body, byteTransferStrategy: .noCopy))
        let values =
            [limits.requestsPerMinute, limits.tokensPerMinute, limits.tokensPerDay, limits.tokensPerMonth]
            .compactMap { $0 }.map(Double.init) + [limits.usdPerDay, limits.usdPerMonth].compactMap { $0 }
        guard values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw GatewayError(.invalidRequest, "Limits must be numbers of zero or more.")
        }
        try await store.setLimits(limits, scope: scope, subject: subject)
        limiter.setStored(limits, scope: scope, subject: subject)
        return JSONResponse.make(AdminView.Stored(scope: scope, subject: subject, limits: limits))
    }

    public func remove(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        _ = try context.requireAdmin()
        let (scope, subject) = try Self.target(context)
        guard try await store.removeLimits(scope: scope, subject: subject) else {
            throw GatewayError(.notFound, "No limits are set for \(scope.rawValue) '\(subject)' through the API.")
        }
        limiter.setStored(nil, scope: scope, subject: subject)
        return Response(status: .noContent)
    }

    private static func target(_ context: GatewayRequestContext) throws -> (LimitScope, String) {
        let scopeName = try context.parameters.require("scope")
        guard let scope = LimitScope(rawValue: scopeName) else {
            throw GatewayError(.notFound, "Limits are set per 'user' or per 'key', not '\(scopeName)'.")
        }
        return (scope, try context.parameters.require("subject"))
    }
}
