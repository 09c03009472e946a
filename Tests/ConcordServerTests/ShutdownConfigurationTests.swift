import ConcordServer
import Foundation
import Testing

@Suite("Shutdown deadline configuration")
struct ShutdownConfigurationTests {
    @Test("the shutdown deadline comes from the file, the environment beats it, and 25 s is the default")
    func deadline() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-shutdown-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "server: { shutdown_timeout_seconds: 7.5 }\n".write(toFile: path, atomically: true, encoding: .utf8)

        #expect(try ServerConfiguration.load(environment: [:]).shutdownTimeout == .seconds(25))
        let fromFile = try ServerConfiguration.load(overrides: .init(configPath: path), environment: [:])
        #expect(fromFile.shutdownTimeout == .milliseconds(7_500))
        let fromEnvironment = try ServerConfiguration.load(
            overrides: .init(configPath: path), environment: ["CONCORD_SHUTDOWN_TIMEOUT_SECONDS": "3"])
        #expect(fromEnvironment.shutdownTimeout == .seconds(3))
    }

    @Test("a deadline that is not a positive number of seconds is refused, naming where it came from")
    func invalidDeadline() throws {
        for value in ["0", "-1", "soon", "nan"] {
            let error = #expect(throws: ConfigurationError.self) {
                try ServerConfiguration.load(environment: ["CONCORD_SHUTDOWN_TIMEOUT_SECONDS": value])
            }
            #expect(error?.description.contains("CONCORD_SHUTDOWN_TIMEOUT_SECONDS") == true)
            #expect(error?.description.contains("'\(value)'") == true)
        }
    }
}
