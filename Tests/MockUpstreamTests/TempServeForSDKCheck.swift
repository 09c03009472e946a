import Foundation
import MockUpstream
import Testing

@Test(.enabled(if: ProcessInfo.processInfo.environment["MOCK_SERVE_SECONDS"] != nil))
func tempServeForSDKCheck() async throws {
    let seconds = Int(ProcessInfo.processInfo.environment["MOCK_SERVE_SECONDS"] ?? "0") ?? 0
    let app = buildMockUpstream(MockUpstreamConfiguration(port: 18181))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        try await Task.sleep(for: .seconds(seconds))
        group.cancelAll()
    }
}
