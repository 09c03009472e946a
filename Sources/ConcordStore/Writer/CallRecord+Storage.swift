import ConcordCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension CallRecord {
    /// The longest value, in UTF-8 bytes, kept in an indexed text column. PostgreSQL cannot index a btree entry
    /// over about 2,700 bytes; a longer value would make its whole batch fail on every retry.
    static let indexedTextLimit = 512

    /// The record as it can always be stored: no NUL characters (PostgreSQL text cannot hold them), indexed
    /// columns cut to `indexedTextLimit` bytes (a caller-chosen model name or `X-Caller-Name` can be any length),
    /// and a finite time. A record that could never be written would otherwise block the writer forever.
    func sanitizedForStorage() -> CallRecord {
        var record = self
        record.id = id.storable(limit: Self.indexedTextLimit)
        record.traceID = traceID.storable(limit: Self.indexedTextLimit)
        record.parentCallID = parentCallID?.storable(limit: Self.indexedTextLimit)
        record.model = model.storable(limit: Self.indexedTextLimit)
        record.provider = provider.storable(limit: Self.indexedTextLimit)
        record.callerName = callerName.storable(limit: Self.indexedTextLimit)
        record.userID = userID?.storable(limit: Self.indexedTextLimit)
        record.systemPrompt = systemPrompt?.storable()
        record.userMessage = userMessage?.storable()
        record.responseContent = responseContent?.storable()
        record.toolCalls = toolCalls?.storable()
        record.finishReason = finishReason?.storable(limit: Self.indexedTextLimit)
        record.errorMessage = errorMessage?.storable()
        if !createdAt.isFinite { record.createdAt = 0 }
        if let cost = costUSD, !cost.isFinite { record.costUSD = nil }
        return record
    }
}

extension CallRecord {
    /// About how much memory the record holds: its texts' UTF-8 bytes (an O(1) count for native strings) and a
    /// fixed allowance for the rest. What the writer's byte bounds count; no allocation (the request path calls it).
    var approximateBytes: Int {
        let keys = id.utf8.count + traceID.utf8.count + model.utf8.count + provider.utf8.count + callerName.utf8.count
        let optionalKeys = (parentCallID?.utf8.count ?? 0) + (userID?.utf8.count ?? 0) + (finishReason?.utf8.count ?? 0)
        let prompts = (systemPrompt?.utf8.count ?? 0) + (userMessage?.utf8.count ?? 0)
        let answer = (responseContent?.utf8.count ?? 0) + (toolCalls?.utf8.count ?? 0) + (errorMessage?.utf8.count ?? 0)
        return 256 + keys + optionalKeys + prompts + answer
    }
}

extension String {
    /// Without NUL characters and, given a limit, at most that many UTF-8 bytes (cut at a character boundary).
    func storable(limit: Int? = nil) -> String {
        var value = self
        if value.containsNUL {
            value.unicodeScalars.removeAll { $0 == "\u{0}" }
        }
        guard let limit, value.utf8.count > limit else { return value }
        var bytes = 0
        var kept = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            let width = UTF8.width(scalar)
            if bytes + width > limit { break }
            bytes += width
            kept.append(scalar)
        }
        return String(kept)
    }

    /// Whether the text holds a NUL byte: `memchr` over the contiguous UTF-8 of a native string (every text
    /// column of every record is checked).
    private var containsNUL: Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            bytes.withUnsafeBytes { raw in
                guard let start = raw.baseAddress else { return false }
                return memchr(start, 0, raw.count) != nil
            }
        } ?? utf8.contains(0)
    }
}
