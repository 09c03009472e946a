import ConcordCore
import ConcordGateway
import ConcordServer
import ConcordStore
import Foundation
import Testing

@Suite("Budgets across replicas")
struct LimitsReplicaTests {
    @Test(
        "a replica counts its own calls at once and exactly; another replica on the same database sees them after a refresh"
    )
    func twoReplicas() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-replicas-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = "sqlite://" + directory.appendingPathComponent("concord.sqlite").path
        let store = try SQLStore(url: url)
        try await store.migrate()
        let policy = LimitPolicy(users: ["alice": UsageLimits(tokensPerDay: 100)])
        let first = UsageLimiter(store: store, policy: policy)
        let second = UsageLimiter(store: store, policy: policy)
        let alice = CallContext(userID: "alice")

        let ticket = try await first.admit(callID: "call-1", model: "m", context: alice)
        _ = try await second.admit(callID: "call-2", model: "m", context: alice)
        let record = CallRecord(
            id: "call-1", traceID: "t", model: "m", provider: "mock", userID: "alice", totalTokens: 150,
            status: .success, createdAt: Date().timeIntervalSince1970
        )
        ticket?.onRecord(record)
        #expect(first.usage(ofUser: "alice").dayTokens == 150, "the replica that made the call counts it at once")
        await #expect(throws: GatewayError.self) { try await first.admit(callID: "call-3", model: "m", context: alice) }

        try await store.write([record])
        await first.refresh()
        #expect(
            first.usage(ofUser: "alice").dayTokens == 150, "once written, the call is counted from the log, not twice")
        await second.refresh()
        #expect(second.usage(ofUser: "alice").dayTokens == 150, "the other replica sees it after its refresh")
        await #expect(throws: GatewayError.self) {
            try await second.admit(callID: "call-4", model: "m", context: alice)
        }
        #expect(
            try await first.admit(callID: "call-5", model: "m", context: CallContext(userID: "bob")) == nil,
            "bob has no limits")
        try await store.shutdown()
    }
}
