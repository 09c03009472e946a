import ConcordCore
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
}
