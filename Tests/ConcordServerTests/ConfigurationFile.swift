import ConcordServer
import Foundation

/// The configuration `concord serve --config FILE` would load from this YAML (no environment).
func configuration(fromYAML yaml: String) throws -> ServerConfiguration {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("concord-config-\(UUID()).yaml").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    return try ServerConfiguration.load(overrides: .init(configPath: path), environment: [:])
}
