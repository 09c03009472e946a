import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Prometheus metrics")
struct MetricsRouteTests {
    /// Sample lines `name{labels} value` of the Prometheus text format; anything else must be a comment.
    static func parse(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.isEmpty {
            if line.hasPrefix("#") {
                #expect(line.hasPrefix("# TYPE ") || line.hasPrefix("# HELP "), "comment: \(line)")
                continue
            }
            let parts = line.split(separator: " ")
            let value = try #require(parts.last.flatMap { Double($0) }, "sample: \(line)")
            let name = parts.dropLast().joined(separator: " ")
            #expect(
                name.range(of: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$"#, options: .regularExpression) != nil,
                "name: \(name)")
            samples[name] = value
        }
        return samples
    }

    @Test("/metrics parses as Prometheus text and its counters move with calls")
    func countersMove() async throws {
        try await withUsageGateway { client, gateway in
            let model = "mock/metrics-\(UUID().uuidString.prefix(8).lowercased())"
            let before = try Self.parse(String(buffer: try await client.execute(uri: "/metrics", method: .get).body))
            try await gateway.call(client, model: model, key: UsageTestKeys.admin, count: 3)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let after = try Self.parse(String(buffer: response.body))
            let requests = after.first { $0.key.hasPrefix("concord_requests_total{") && $0.key.contains(model) }
            #expect(requests?.value == 3)
            #expect(before.keys.contains { $0.contains(model) } == false)
            let tokens = after.filter { $0.key.hasPrefix("concord_tokens_total{") && $0.key.contains(model) }.values
                .reduce(0, +)
            let logged = try await gateway.sql(
                "SELECT SUM(total_tokens) AS v FROM llm_call_logs WHERE model = '\(model)'")
            #expect(tokens == logged)
            let unpriced = after.first {
                $0.key.hasPrefix("concord_unpriced_requests_total{") && $0.key.contains(model)
            }
            #expect(unpriced?.value == 3)
            #expect(
                after.keys.contains { $0.hasPrefix("concord_request_duration_seconds_bucket{") && $0.contains(model) })
            #expect(after["concord_writer_pending_records"] != nil)
            #expect(after["concord_writer_spooled_records"] != nil)
        }
    }
}
