import ConcordCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ConcordServer

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

    /// `/metrics`, parsed.
    static func scrape(_ client: any TestClientProtocol) async throws -> [String: Double] {
        try parse(String(buffer: try await client.execute(uri: "/metrics", method: .get).body))
    }

    @Test("/metrics parses as Prometheus text and its counters move with calls")
    func countersMove() async throws {
        try await withUsageGateway { client, gateway in
            let model = "mock/metrics-\(UUID().uuidString.prefix(8).lowercased())"
            let before = try await Self.scrape(client)
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

    static let unknownRequests = #"concord_requests_total{model="(unknown)",provider="",status="error"}"#

    @Test("a model name that does not exist is counted as (unknown), never as a series of its own")
    func unknownModelsShareOneSeries() async throws {
        try await withUsageGateway { client, gateway in
            let invented = "invented-\(UUID().uuidString.prefix(8).lowercased())"
            let before = try await Self.scrape(client)
            try await gateway.call(client, model: invented, key: UsageTestKeys.admin, count: 2)
            let after = try await Self.scrape(client)
            #expect(after.keys.contains { $0.contains(invented) } == false)
            #expect((after[Self.unknownRequests] ?? 0) - (before[Self.unknownRequests] ?? 0) >= 2)
        }
    }

    @Test("past the most label sets, new model names are counted as (other): /metrics cannot grow without end")
    func labelSetsAreBounded() throws {
        struct Discard: CallRecorder { func record(_ record: CallRecord) {} }
        PrometheusExport.bootstrap()
        let metrics = CallMetrics(next: Discard(), maximumLabelSets: 2)
        let other = #"concord_requests_total{model="(other)",provider="bounded-test",status="success"}"#
        let prefix = "bounded-\(UUID().uuidString.prefix(8).lowercased())"
        let before = try Self.parse(PrometheusExport.text())
        for name in ["a", "b", "c", "d", "c"] {
            metrics.record(
                CallRecord(
                    id: UUID().uuidString, traceID: "t", model: "\(prefix)-\(name)", provider: "bounded-test",
                    status: .success, createdAt: Date().timeIntervalSince1970))
        }
        let after = try Self.parse(PrometheusExport.text())
        let named = Set(after.keys.filter { $0.hasPrefix("concord_requests_total{") && $0.contains(prefix) })
        #expect(named.count == 2, "\(named)")
        #expect((after[other] ?? 0) - (before[other] ?? 0) == 3)
    }
}
