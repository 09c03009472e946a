import ConcordServer
import Foundation
import Logging
import Testing

@Suite("Writer memory configuration")
struct WriterMemoryConfigurationTests {
    @Test("the writer's memory bounds come from the file in MiB; 64 and 512 MiB are the defaults")
    func bounds() throws {
        #expect(
            try ServerConfiguration.load(environment: [:]).writerMemory
                == .init(spillBytes: 64 << 20, limitBytes: 512 << 20))
        #expect(
            try configuration(fromYAML: "writer: { spill_mb: 8, limit_mb: 100 }").writerMemory
                == .init(spillBytes: 8 << 20, limitBytes: 100 << 20))
        // One bound alone moves the other where it must: the spool takes over at or before the limit.
        #expect(
            try configuration(fromYAML: "writer: { limit_mb: 32 }").writerMemory
                == .init(spillBytes: 32 << 20, limitBytes: 32 << 20))
        #expect(
            try configuration(fromYAML: "writer: { spill_mb: 1024 }").writerMemory
                == .init(spillBytes: 1024 << 20, limitBytes: 1024 << 20)
        )
    }

    @Test("the gateway's writer works with the configured bounds")
    func runtimeUsesTheBounds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("concord-writer-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var server = try configuration(fromYAML: "writer: { spill_mb: 3, limit_mb: 7 }")
        server.databaseURL = "sqlite://\(directory.path)/concord.sqlite"
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let runtime = try await GatewayRuntime.make(server, logger: quiet)
        try await runtime.run { _ in }
        #expect(runtime.writer.configuration.memoryThresholdBytes == 3 << 20)
        #expect(runtime.writer.configuration.hardCapBytes == 7 << 20)
    }

    @Test(
        "bounds that are not a size from 1 MiB to 1 TiB, or a limit below the spill size, are refused naming the key and the value"
    )
    func invalidBounds() throws {
        let range = "must be a number of MiB from 1 to 1048576"
        for (yaml, named) in [
            ("writer: { spill_mb: 0 }", "writer.spill_mb \(range), not '0'"),
            ("writer: { limit_mb: -5 }", "writer.limit_mb \(range), not '-5'"),
            ("writer: { limit_mb: 2000000 }", "writer.limit_mb \(range), not '2000000'"),
            ("writer: { spill_mb: .nan }", "writer.spill_mb \(range)"),
            ("writer: { spill_mb: 100, limit_mb: 10 }", "writer.limit_mb must be at least writer.spill_mb"),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try configuration(fromYAML: yaml) }
            #expect(error?.description.contains(named) == true, "\(yaml): \(error?.description ?? "")")
        }
    }
}
