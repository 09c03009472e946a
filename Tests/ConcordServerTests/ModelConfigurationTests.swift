import ConcordServer
import Foundation
import Testing

@Suite("Model configuration from the file")
struct ModelConfigurationTests {
    @Test("numbers nothing could use are refused at load, naming the key")
    func invalidNumbers() throws {
        for (yaml, named) in [
            ("models: [{ id: m, timeout_seconds: 1e300 }]", "models[0].timeout_seconds must be a number of seconds"),
            ("models: [{ id: m, timeout_seconds: 0 }]", "models[0].timeout_seconds"),
            ("models: [{ id: m, timeout_seconds: .nan }]", "models[0].timeout_seconds"),
            ("models: [{ id: m, input_cost_per_mtok: .inf }]", "models[0].input_cost_per_mtok must be a price"),
            ("models: [{ id: m, output_cost_per_mtok: -2 }]", "models[0].output_cost_per_mtok"),
            ("models: [{ id: m, default_max_tokens: 0 }]", "models[0].default_max_tokens must be at least 1"),
            ("providers: { openai: { timeout_seconds: -1 } }", "providers.openai.timeout_seconds"),
            ("models: [{ id: m, input_cost_per_mtok: 1e300 }]", "models[0].input_cost_per_mtok"),
            ("server: { port: 70000 }", "server.port must be a port number"),
            ("server: { max_body_bytes: -1 }", "server.max_body_bytes must be at least 1"),
        ] {
            let error = #expect(throws: ConfigurationError.self) { try configuration(fromYAML: yaml) }
            #expect(error?.description.contains(named) == true, "\(yaml): \(error?.description ?? "")")
        }
        let fine = try configuration(fromYAML: "models: [{ id: m, timeout_seconds: 86400, input_cost_per_mtok: 0 }]")
        #expect(fine.models.first?.timeoutSeconds == 86_400)
    }
}
