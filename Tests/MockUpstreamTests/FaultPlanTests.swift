import Testing

@testable import MockUpstream

@Suite("Fault names")
struct FaultPlanTests {
    @Test func faultWordsFollowAnyPrefixAndCombine() {
        let plan = FaultPlan(model: "openai/gpt-4o-latency-250-stream-cut")
        #expect(plan.latency == .milliseconds(250))
        #expect(plan.failure == .streamCut)

        #expect(FaultPlan(model: "mock-slow-stream-40").eventInterval == .milliseconds(40))
        #expect(FaultPlan(model: "error-529").failure == .status(529))
        #expect(FaultPlan(model: "claude_malformed").failure == .malformed)
        #expect(FaultPlan(model: "mock-hang").failure == .hang)
    }

    @Test func ordinaryModelNamesInjectNothing() {
        for model in ["gpt-4o", "claude-sonnet-4-5", "changelog-summarizer", "error-handler", "error-42", "latency"] {
            #expect(FaultPlan(model: model) == FaultPlan(model: "mock-model"), "\(model)")
        }
        #expect(FaultPlan(model: "mock-model").failure == nil)
        #expect(FaultPlan(model: "mock-model").latency == nil)
    }
}
