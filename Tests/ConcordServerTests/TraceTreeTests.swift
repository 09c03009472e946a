import ConcordCore
import ConcordStore
import Foundation
import Testing

@testable import ConcordServer

@Suite("Trace trees")
struct TraceTreeTests {
    @Test("a chain of 20,000 calls, each the parent of the next, is shown whole: nested to the depth limit, then flat")
    func deepChain() throws {
        let count = 20_000
        let calls = (0..<count).map { index in
            CallRecord(
                id: "call-\(index)", traceID: "t", parentCallID: index == 0 ? nil : "call-\(index - 1)", model: "m",
                provider: "mock", status: .success, createdAt: 1_000 + Double(index))
        }
        let tree = TraceTree(traceID: "t", calls: calls)
        var depth = 0
        var level = tree.roots
        var seen = 0
        while let node = level.first {
            depth += 1
            seen += level.count
            level = node.children
        }
        #expect(depth == TraceTree.maximumDepth + 1)
        #expect(seen == count)
        #expect(tree.totals.calls == count)
        let json = try JSONEncoder().encode(tree)
        #expect(json.count > count * 10)
        #expect(DashboardPages.trace(tree).contains("call-\(count - 1)"))
    }

    /// A store of one trace's calls, as `CallHistory` sees it.
    struct OneTrace: CallHistory {
        let calls: [CallRecord]
        func listCalls(_ filter: CallLogFilter) async throws -> CallLogPage { CallLogPage(items: [], nextCursor: nil) }
        func call(id: String) async throws -> CallRecord? { nil }
        func calls(traceID: String, limit: Int?) async throws -> [CallRecord] { Array(calls.prefix(limit ?? .max)) }
    }

    @Test("a trace longer than the most loaded shows its first calls and says it is truncated; a user sees only theirs")
    func longTraceIsTruncated() async throws {
        let calls = (0..<12).map { index in
            CallRecord(
                id: "call-\(index)", traceID: "t", model: "m", provider: "mock",
                userID: index % 2 == 0 ? "alice" : "bob",
                status: .success, createdAt: 1_000 + Double(index))
        }
        let admin = AuthenticatedCaller(userID: "admin", role: .admin)
        let history = OneTrace(calls: calls)
        let long = try #require(try await TraceTree.load("t", from: history, for: admin, maximumCalls: 10))
        #expect(long.truncated)
        #expect(long.totals.calls == 10)
        let whole = try #require(try await TraceTree.load("t", from: history, for: admin, maximumCalls: 12))
        #expect(!whole.truncated)
        let alice = AuthenticatedCaller(userID: "alice", role: .user)
        let hers = try #require(try await TraceTree.load("t", from: history, for: alice, maximumCalls: 12))
        #expect(hers.roots.allSatisfy { $0.call.userID == "alice" } && hers.totals.calls == 6)
        let json = String(decoding: try JSONEncoder().encode(long), as: UTF8.self)
        #expect(json.contains(#""truncated":true"#))
    }
}
