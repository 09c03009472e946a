import ConcordStore
import ServiceLifecycle

/// Runs `writer` in a service group while `body` runs, then shuts the group down gracefully (as SIGTERM would)
/// and waits for the writer to finish.
func withRunningWriter(_ writer: LogWriter, _ body: () async throws -> Void) async throws {
    let group = ServiceGroup(services: [writer], logger: quietLogger)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

func fastWriterConfiguration(spoolPath: String, batchSize: Int = 50) -> LogWriter.Configuration {
    LogWriter.Configuration(
        spoolPath: spoolPath,
        batchSize: batchSize,
        largestBatch: batchSize,
        flushInterval: .milliseconds(10),
        memoryThreshold: 40,
        hardCap: 1_000,
        initialRetryDelay: .milliseconds(5),
        maximumRetryDelay: .milliseconds(40)
    )
}
