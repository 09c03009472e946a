import ConcordCore
import Foundation
import Testing

@testable import ConcordStore

@Suite("Listing calls")
struct CallLogQueryTests {
    /// 130 calls: three models, two users, two callers, both statuses, and groups of calls sharing one
    /// `created_at` (so pages must break ties by id).
    static func fixture() -> [CallRecord] {
        (0..<130).map { index in
            let model = ["mock/echo", "claude-sonnet-4", "openai/gpt-4o-mini"][index % 3]
            return makeRecord(
                model: model,
                provider: model == "claude-sonnet-4" ? "anthropic" : String(model.split(separator: "/")[0]),
                callerType: index % 4 == 0 ? .agent : .api,
                callerName: index % 4 == 0 ? "research-agent" : "/v1/chat/completions",
                userID: index % 5 == 0 ? "bob" : "alice",
                status: index % 7 == 0 ? .error : .success,
                createdAt: baseTime + Double(index / 4)  // four calls per second
            )
        }
    }

    /// Newest first, ties by id descending: the order the API promises.
    static func newestFirst(_ records: [CallRecord]) -> [String] {
        records.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)
    }

    static func allPages(_ store: SQLStore, _ filter: CallLogFilter) async throws -> [[CallLogSummary]] {
        var filter = filter
        var pages: [[CallLogSummary]] = []
        while true {
            let page = try await store.listCalls(filter)
            pages.append(page.items)
            guard let cursor = page.nextCursor else { return pages }
            filter.cursor = cursor
            if pages.count > 100 {
                Issue.record("pagination does not end")
                return pages
            }
        }
    }

    @Test(
        "keyset pages cover every call once, newest first, even with equal timestamps",
        arguments: TestBackend.available)
    func keysetPagination(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = Self.fixture()
            try await database.store.write(records)
            let pages = try await Self.allPages(database.store, CallLogFilter(limit: 25))
            #expect(pages.map(\.count) == [25, 25, 25, 25, 25, 5])
            #expect(pages.flatMap { $0 }.map(\.id) == Self.newestFirst(records))

            let firstPage = try await database.store.listCalls(CallLogFilter())
            #expect(firstPage.items.count == 50)
            let capped = try await database.store.listCalls(CallLogFilter(limit: 10_000))
            #expect(capped.items.count == 130)
            #expect(capped.nextCursor == nil)
        }
    }

    @Test("each filter returns exactly the matching calls", arguments: TestBackend.available)
    func filters(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            let records = Self.fixture()
            try await database.store.write(records)
            let cases: [(CallLogFilter, (CallRecord) -> Bool)] = [
                (CallLogFilter(model: "claude-sonnet-4"), { $0.model == "claude-sonnet-4" }),
                (CallLogFilter(provider: "openai"), { $0.provider == "openai" }),
                (CallLogFilter(callerType: .agent), { $0.callerType == .agent }),
                (CallLogFilter(callerName: "research-agent"), { $0.callerName == "research-agent" }),
                (CallLogFilter(userID: "bob"), { $0.userID == "bob" }),
                (CallLogFilter(status: .error), { $0.status == .error }),
                (CallLogFilter(traceID: records[17].traceID), { $0.traceID == records[17].traceID }),
                (
                    CallLogFilter(since: baseTime + 10, until: baseTime + 20),
                    {
                        $0.createdAt >= baseTime + 10 && $0.createdAt < baseTime + 20
                    }
                ),
                (
                    CallLogFilter(model: "mock/echo", userID: "alice", status: .success),
                    {
                        $0.model == "mock/echo" && $0.userID == "alice" && $0.status == .success
                    }
                ),
            ]
            for (filter, matches) in cases {
                var paged = filter
                paged.limit = 7
                let got = try await Self.allPages(database.store, paged).flatMap { $0 }.map(\.id)
                #expect(got == Self.newestFirst(records.filter(matches)), "filter \(filter)")
            }
        }
    }

    @Test("list items carry no bodies; JSON uses the column names", arguments: TestBackend.available)
    func listItemsHaveNoBodies(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            var record = makeRecord()
            record.systemPrompt = String(repeating: "long system prompt ", count: 1_000)
            record.toolCalls = "[]"
            try await database.store.write([record])
            let page = try await database.store.listCalls(CallLogFilter())
            let data = try JSONEncoder().encode(page)
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let item = try #require((json["items"] as? [[String: Any]])?.first)
            #expect(Set(item.keys) == Set(CallLogColumns.summary))
            #expect(json["next_cursor"] is NSNull)
            #expect(data.count < 2_000)
            #expect(page.items.first == CallLogSummary(record))
        }
    }

    @Test("a cursor the server did not hand out is rejected", arguments: TestBackend.available)
    func invalidCursor(backend: TestBackend) async throws {
        try await withTestDatabase(backend) { database in
            // The last: "v1:<Int64.min>:x", a time no call has (PostgreSQL's timestamp arithmetic overflowed on it).
            for cursor in ["garbage", "", "djE6eHl6OmFiYw", "djE6LTkyMjMzNzIwMzY4NTQ3NzU4MDg6eA"] {
                let error = try await #require(throws: StoreError.self) {
                    try await database.store.listCalls(CallLogFilter(cursor: cursor))
                }
                #expect(error.code == .invalidCursor)
            }
        }
    }
}
