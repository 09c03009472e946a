import ConcordCore
import ConcordGateway
import ConcordProviders
import ExampleAgents
import Synchronization
import Testing

@Suite("The example agent loop")
struct AgentLoopTests {
    final class Records: CallRecorder {
        let all = Mutex<[CallRecord]>([])
        func record(_ record: CallRecord) { all.withLock { $0.append(record) } }
    }

    @Test("router → tool → chat agent forms one trace: the routing call is the parent of the rest, all agents")
    func oneTraceWithParents() async throws {
        let records = Records()
        let gateway = Gateway(
            catalog: ModelCatalog(models: [], environment: [:]),
            providers: [.mock: MockProvider()],
            recorder: records
        )
        let outcome = try await RouterAgent(
            gateway: gateway, model: "mock/agent", chatAgent: ChatAgent(gateway: gateway, model: "mock/agent")
        )
        .handle("Find me a cat name", userID: "u-7")
        let calls = records.all.withLock { $0 }
        #expect(calls.count == 3)
        #expect(Set(calls.map(\.traceID)) == [outcome.traceID])
        let root = try #require(calls.first { $0.id == outcome.rootCallID })
        #expect(root.parentCallID == nil)
        #expect(root.callerName == "router-agent")
        #expect(calls.filter { $0.id != root.id }.allSatisfy { $0.parentCallID == root.id })
        #expect(calls.allSatisfy { $0.callerType == .agent && $0.userID == "u-7" && $0.status == .success })
        #expect(Set(calls.map(\.callerName)) == ["router-agent", "chat-agent"])
        #expect(calls.contains { $0.isStream && $0.callerName == "chat-agent" })
        #expect(!outcome.answer.isEmpty)
    }

    @Test("two agent runs are two traces")
    func separateRuns() async throws {
        let records = Records()
        let gateway = Gateway(
            catalog: ModelCatalog(models: [], environment: [:]), providers: [.mock: MockProvider()], recorder: records)
        let agent = RouterAgent(
            gateway: gateway, model: "mock/agent", chatAgent: ChatAgent(gateway: gateway, model: "mock/agent"))
        let first = try await agent.handle("one")
        let second = try await agent.handle("two")
        #expect(first.traceID != second.traceID)
    }
}
