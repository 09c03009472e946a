import ConcordCore
import ConcordStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/dashboard`: server-rendered pages behind a sign-in with an API key. The form posts the key once; the
/// answer sets an HttpOnly, SameSite=Strict cookie holding a random session token (never the key). A `user`
/// key sees only its own calls and usage, exactly as on the API.
struct DashboardController: Sendable {
    let usage: any UsageStatsSource
    let history: any CallHistory
    let verifier: any APIKeyVerifier
    let sessions: DashboardSessions

    func register(on router: some RouterMethods<GatewayRequestContext>) {
        router.get("/dashboard/login", use: loginForm)
        router.post("/dashboard/login", use: login)
        router.post("/dashboard/logout", use: logout)
        router.get("/dashboard", use: overview)
        router.get("/dashboard/logs", use: logs)
        router.get("/dashboard/calls/{id}", use: call)
        router.get("/dashboard/traces/{trace_id}", use: trace)
    }

    // MARK: Sign-in

    func loginForm(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        Self.html(DashboardPages.login(failed: false), status: .ok)
    }

    func login(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        let fields = FormBody.parse(String(buffer: body))
        let key = (fields["key"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let digest = APIKeyHash.sha256(key)
        guard !key.isEmpty, await verifier.verify(digest: digest) != nil else {
            return Self.html(DashboardPages.login(failed: true), status: .unauthorized)
        }
        let token = sessions.start(keyDigest: digest)
        var response = Self.redirect(to: "/dashboard")
        response.headers[.setCookie] =
            "\(DashboardSessions.cookieName)=\(token); Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=\(Int(sessions.lifetime))"
        return response
    }

    func logout(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        if let token = Self.sessionToken(request) { sessions.end(token) }
        var response = Self.redirect(to: "/dashboard/login")
        response.headers[.setCookie] =
            "\(DashboardSessions.cookieName)=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0"
        return response
    }

    // MARK: Pages

    func overview(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let caller = await signedInCaller(request) else { return Self.redirect(to: "/dashboard/login") }
        let parameters = request.uri.queryParameters
        let range = DashboardRange(rawValue: parameters.get("range") ?? "") ?? .day
        let model = parameters.get("model").flatMap { $0.isEmpty ? nil : $0 }
        let now = Date().timeIntervalSince1970
        var base = StatsQuery(since: now - range.seconds, until: now, model: model)
        if !caller.isAdmin { base.userID = caller.userID }
        let overview = try await DashboardOverview.load(
            usage: usage, history: history, base: base, range: range, now: now)
        let body = DashboardPages.overview(overview, range: range, model: model, caller: caller)
        return Self.html(DashboardLayout.page(title: "Overview", caller: caller, body: body), status: .ok)
    }

    func logs(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let caller = await signedInCaller(request) else { return Self.redirect(to: "/dashboard/login") }
        var filter: CallLogFilter
        do {
            filter = try CallLogController.filter(from: request.uri.queryParameters)
        } catch {
            filter = CallLogFilter()
        }
        if !caller.isAdmin { filter.userID = caller.userID }
        let page = try await history.listCalls(filter)
        let body = DashboardPages.logs(page, filter: filter, caller: caller)
        return Self.html(DashboardLayout.page(title: "Calls", caller: caller, body: body), status: .ok)
    }

    func call(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let caller = await signedInCaller(request) else { return Self.redirect(to: "/dashboard/login") }
        let id = try context.parameters.require("id")
        guard let record = try await history.call(id: id), caller.isAdmin || record.userID == caller.userID else {
            return Self.html(
                DashboardLayout.page(title: "Not found", caller: caller, body: "<h1>No such call</h1>"),
                status: .notFound)
        }
        return Self.html(
            DashboardLayout.page(title: "Call", caller: caller, body: DashboardPages.call(record)), status: .ok)
    }

    func trace(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let caller = await signedInCaller(request) else { return Self.redirect(to: "/dashboard/login") }
        let traceID = try context.parameters.require("trace_id")
        guard let tree = try await TraceTree.load(traceID, from: history, for: caller) else {
            return Self.html(
                DashboardLayout.page(title: "Not found", caller: caller, body: "<h1>No such trace</h1>"),
                status: .notFound)
        }
        let body = DashboardPages.trace(tree)
        return Self.html(DashboardLayout.page(title: "Trace", caller: caller, body: body), status: .ok)
    }

    // MARK: Plumbing

    /// The caller of the request's session, asked of the verifier again (from its short cache) on every page: a
    /// revoked key's session ends at its next page, as its API calls are refused.
    private func signedInCaller(_ request: Request) async -> AuthenticatedCaller? {
        guard let token = Self.sessionToken(request), let digest = sessions.keyDigest(for: token) else { return nil }
        guard let caller = await verifier.verify(digest: digest) else {
            sessions.end(token)
            return nil
        }
        return caller
    }

    static func sessionToken(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == DashboardSessions.cookieName { return String(pair[1]) }
            }
        }
        return nil
    }

    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .cacheControl: "no-store",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
