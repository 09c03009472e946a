import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import ConcordServer

@Suite("Dashboard")
struct DashboardTests {
    /// Signs in with `key` and returns the `Cookie` header value the browser would send.
    static func signIn(_ client: any TestClientProtocol, key: String) async throws -> String {
        let response = try await client.execute(
            uri: "/dashboard/login",
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "key=\(key)")
        )
        #expect(response.status == .seeOther)
        let cookie = try #require(response.headers[.setCookie])
        return String(cookie.split(separator: ";")[0])
    }

    static func page(_ client: any TestClientProtocol, _ uri: String, cookie: String) async throws -> (
        HTTPResponse.Status, String
    ) {
        let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
        return (response.status, String(buffer: response.body))
    }

    @Test("sessions are bounded: past the most, the oldest ends and the newest stands")
    func sessionsAreBounded() {
        let sessions = DashboardSessions(maximumSessions: 3)
        let start = Date()
        let tokens = (0..<5).map { sessions.start(keyDigest: [UInt8($0)], now: start + Double($0)) }
        #expect(sessions.count == 3)
        #expect(sessions.keyDigest(for: tokens[0], now: start + 5) == nil)
        #expect(sessions.keyDigest(for: tokens[1], now: start + 5) == nil)
        #expect(sessions.keyDigest(for: tokens[4], now: start + 5) == [4])
    }

    @Test("pages need a sign-in; the cookie is HttpOnly, SameSite=Strict and never holds the key")
    func signInRequired() async throws {
        try await withUsageGateway { client, _ in
            let anonymous = try await client.execute(uri: "/dashboard", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/dashboard/login")
            #expect(try await client.execute(uri: "/dashboard/logs", method: .get).status == .seeOther)
            let form = try await client.execute(uri: "/dashboard/login", method: .get)
            #expect(String(buffer: form.body).contains("name=\"key\""))
            let wrong = try await client.execute(
                uri: "/dashboard/login",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "key=nope")
            )
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            let response = try await client.execute(
                uri: "/dashboard/login",
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "key=\(UsageTestKeys.admin)")
            )
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains(UsageTestKeys.admin))
            let cookie = String(setCookie.split(separator: ";")[0])
            let (status, html) = try await Self.page(client, "/dashboard", cookie: cookie)
            #expect(status == .ok)
            #expect(html.contains("id=\"card-requests\""))
            let forged = try await client.execute(
                uri: "/dashboard", method: .get, headers: [.cookie: "concord_session=forged"])
            #expect(forged.status == .seeOther)
            let logout = try await client.execute(uri: "/dashboard/logout", method: .post, headers: [.cookie: cookie])
            #expect(logout.status == .seeOther)
            #expect(try await Self.page(client, "/dashboard", cookie: cookie).0 == .seeOther, "signed out")
        }
    }

    @Test("the overview shows the numbers SQL gives, and a user key sees only its own data")
    func overviewAndIsolation() async throws {
        try await withUsageGateway { client, gateway in
            try await StatsRouteTests.makeMix(client, gateway)
            let admin = try await Self.signIn(client, key: UsageTestKeys.admin)
            let (_, overview) = try await Self.page(client, "/dashboard?range=24h", cookie: admin)
            #expect(overview.contains("data-value=\"12\""))
            #expect(overview.contains("id=\"chart-requests\""))
            #expect(overview.contains("<svg"))
            for table in ["by-model", "by-caller", "by-user", "by-provider", "recent-errors"] {
                #expect(overview.contains("id=\"\(table)\""), "\(table)")
            }
            #expect(overview.contains(">bob<"))

            let alice = try await Self.signIn(client, key: UsageTestKeys.alice)
            let (_, mine) = try await Self.page(client, "/dashboard?range=24h", cookie: alice)
            #expect(mine.contains("data-value=\"5\""), "alice made five calls")
            #expect(!mine.contains(">bob<"))
            // A cursor that is not a previous page's is ignored like any bad filter: the first page, not an error.
            #expect(try await Self.page(client, "/dashboard/logs?cursor=x", cookie: alice).0 == .ok)
            let (_, logs) = try await Self.page(client, "/dashboard/logs?user_id=bob", cookie: alice)
            let bobsCalls = try await gateway.spy.all.filter { $0.userID == "bob" }
            #expect(!bobsCalls.isEmpty)
            for call in bobsCalls {
                #expect(!logs.contains(call.id))
                #expect(try await Self.page(client, "/dashboard/calls/\(call.id)", cookie: alice).0 == .notFound)
                #expect(try await Self.page(client, "/dashboard/traces/\(call.traceID)", cookie: alice).0 == .notFound)
            }
            let aliceCall = try #require(gateway.spy.all.first { $0.userID == "alice" })
            let (status, detail) = try await Self.page(client, "/dashboard/calls/\(aliceCall.id)", cookie: alice)
            #expect(status == .ok)
            #expect(detail.contains(aliceCall.id))
            let (traceStatus, trace) = try await Self.page(
                client, "/dashboard/traces/\(aliceCall.traceID)", cookie: alice)
            #expect(traceStatus == .ok)
            #expect(trace.contains("id=\"trace-tree\""))
        }
    }

    @Test("recorded text is escaped in every page")
    func escaping() async throws {
        try await withUsageGateway { client, gateway in
            try await gateway.call(
                client, model: "mock/demo", key: UsageTestKeys.admin, caller: "<script>alert(1)</script>")
            let admin = try await Self.signIn(client, key: UsageTestKeys.admin)
            for uri in ["/dashboard", "/dashboard/logs"] {
                let (_, html) = try await Self.page(client, uri, cookie: admin)
                #expect(!html.contains("<script>"), "\(uri)")
                #expect(html.contains("&lt;script&gt;"), "\(uri)")
            }
        }
    }
}
