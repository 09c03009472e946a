import ConcordServer
import Foundation
import Testing

@Suite("Writer memory configuration")
struct WriterMemoryConfigurationTests {
    private func load(_ yaml: String) throws -> ServerConfiguration {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-writer-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try ServerConfiguration.load(overrides: .init(configPath: path), environment: [:])
    }

    @Test("the writer's memory bounds come from the file in MiB; 64 and 512 MiB are the defaults")
    func bounds() throws {
        #expect(
            try ServerConfiguration.load(environment: [:]).writerMemory
                == .init(spillBytes: 64 << 20, limitBytes: 512 << 20))
        #expect(
            try load("writer: { spill_mb: 8, limit_mb: 100 }").writerMemory
                == .init(spillBytes: 8 << 20, limitBytes: 100 << 20))
        // One bound alone moves the other where it must: the spool takes over at or before the limit.
        #expect(try load("writer: { limit_mb: 32 }").writerMemory == .init(spillBytes: 32 << 20, limitBytes: 32 << 20))
        #expect(
            try load("writer: { spill_mb: 1024 }").writerMemory == .init(spillBytes: 1024 << 20, limitBytes: 1024 << 20)
        )
    }

    @Test("bounds that are not a positive size, or a limit below the spill size, are refused with the key named")
    func invalidBounds() throws {
        for (yaml, key) in [
            ("writer: { spill_mb: 0 }", "writer.spill_mb"), ("writer: { limit_mb: -5 }", "writer.limit_mb"),
            ("writer: { spill_mb: 100, limit_mb: 10 }", "writer.limit_mb"),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try load(yaml) }
            #expect(error?.description.contains(key) == true, "\(yaml)")
        }
    }
}
