import ConcordCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("History routes: logs and traces")
struct HistoryRouteTests {
    private func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(TestKeys.gateway)"])
    }

    @Test("the log list filters, pages by cursor without repeats, and leaves out the large text columns")
    func listAndPage() async throws {
        try await withGateway { client, spy, _ in
            for model in ["mock/a", "mock/a", "mock/a", "mock/b"] {
                _ = try await client.post("/v1/chat/completions", json: chatBody(model: model))
            }
            _ = try await spy.waitForRecords(4)
            await spy.writer?.flush()
            let first = try jsonObject(try await get(client, "/api/llm/logs?model=mock/a&limit=2").body)
            let firstItems = try #require(first["items"] as? [[String: Any]])
            #expect(firstItems.count == 2)
            #expect(firstItems.allSatisfy { $0["model"] as? String == "mock/a" })
            #expect(firstItems.allSatisfy { $0["response_content"] == nil && $0["user_message"] == nil })
            let cursor = try #require(first["next_cursor"] as? String)
            let encoded = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
            let second = try jsonObject(
                try await get(client, "/api/llm/logs?model=mock/a&limit=2&cursor=\(encoded)").body)
            let secondItems = try #require(second["items"] as? [[String: Any]])
            #expect(secondItems.count == 1)
            let ids = (firstItems + secondItems).compactMap { $0["id"] as? String }
            #expect(Set(ids).count == 3)
            let bad = try await get(client, "/api/llm/logs?status=maybe")
            #expect(bad.status == .badRequest)
            // PostgreSQL's text cannot hold NUL: such a filter is refused, not a database error.
            for filter in ["model=%00", "user_id=a%00b", "trace_id=%00", "caller_name=%00"] {
                #expect(try await get(client, "/api/llm/logs?\(filter)").status == .badRequest, "\(filter)")
            }
            for time in ["since=99999999999999999999", "until=inf", "since=-1"] {
                #expect(try await get(client, "/api/llm/logs?\(time)").status == .badRequest, "\(time)")
            }
            for cursor in ["x", "", "2026-11-27T00%3A00%3A00Z", String(encoded.dropLast(2))] {
                let badCursor = try await get(client, "/api/llm/logs?cursor=\(cursor)")
                #expect(badCursor.status == .badRequest, "cursor '\(cursor)'")
                #expect(try errorObject(badCursor)["param"] as? String == "cursor")
            }
        }
    }

    @Test("one call is returned whole; an unknown id is a 404")
    func oneCall() async throws {
        try await withGateway { client, spy, _ in
            let response = try await client.post("/v1/chat/completions", json: chatBody(model: "mock/a"))
            let id = try #require(response.headers[HTTPField.Name("X-Call-Id")!])
            _ = try await spy.waitForRecords(1)
            await spy.writer?.flush()
            let call = try jsonObject(try await get(client, "/api/llm/logs/\(id)").body)
            #expect(call["id"] as? String == id)
            #expect(call["user_message"] as? String == "Hello there")
            #expect((call["response_content"] as? String)?.isEmpty == false)
            #expect(try await get(client, "/api/llm/logs/nope").status == .notFound)
        }
    }

    @Test("two calls in one trace, the second naming the first as parent, come back as parent and child")
    func traceTree() async throws {
        try await withGateway { client, spy, _ in
            let trace = "0af7651916cd43dd8448eb211c80319c"
            let traceparent = HTTPField.Name("traceparent")!
            let first = try await client.post(
                "/v1/chat/completions",
                json: chatBody(model: "mock/a"),
                headers: [traceparent: "00-\(trace)-b7ad6b7169203331-01"]
            )
            let parentID = try #require(first.headers[HTTPField.Name("X-Call-Id")!])
            let second = try await client.post(
                "/v1/chat/completions",
                json: chatBody(model: "mock/b"),
                headers: [
                    traceparent: "00-\(trace)-b7ad6b7169203331-01", HTTPField.Name("X-Parent-Call-Id")!: parentID,
                ]
            )
            let childID = try #require(second.headers[HTTPField.Name("X-Call-Id")!])
            let third = try await client.post("/v1/chat/completions", json: chatBody(model: "mock/c"))
            #expect(
                third.headers[HTTPField.Name("X-Trace-Id")!] != trace,
                "a call without trace headers starts its own trace")
            _ = try await spy.waitForRecords(3)
            await spy.writer?.flush()
            let tree = try jsonObject(try await get(client, "/api/llm/traces/\(trace)").body)
            let roots = try #require(tree["calls"] as? [[String: Any]])
            #expect(roots.count == 1)
            #expect(roots.first?["id"] as? String == parentID)
            let children = try #require(roots.first?["children"] as? [[String: Any]])
            #expect(children.map { $0["id"] as? String } == [childID])
            #expect((tree["totals"] as? [String: Any])?["calls"] as? Int == 2)
            #expect(try await get(client, "/api/llm/traces/ffffffffffffffffffffffffffffffff").status == .notFound)
        }
    }

    @Test("a malformed traceparent is ignored: the call gets a new trace, not an error")
    func malformedTraceparent() async throws {
        try await withGateway { client, _, _ in
            let response = try await client.post(
                "/v1/chat/completions",
                json: chatBody(model: "mock/a"),
                headers: [HTTPField.Name("traceparent")!: "00-not-a-trace-01"]
            )
            #expect(response.status == .ok)
            let trace = try #require(response.headers[HTTPField.Name("X-Trace-Id")!])
            #expect(trace.count == 32 && trace != "00-not-a-trace-01")
        }
    }
}
