public import ConcordCore

/// How much of a call's content its record keeps. Records are made at the interception point and nowhere else, so
/// applying the policy there covers every call path.
///
/// `metadata` keeps ids, attribution, tokens, cost, timing and errors, and drops the prompt, the last user message,
/// the answer and its tool calls. `maxTextChars` cuts each kept text column, so one huge prompt cannot bloat the
/// log table.
public struct RecordingPolicy: Sendable, Hashable {
    public enum Content: String, Sendable, Hashable, Codable {
        case full, metadata
    }

    public var content: Content
    /// The most characters kept of each text column; `nil` keeps everything.
    public var maxTextChars: Int?
    /// Models (by the id callers send) recorded as metadata only whatever `content` says.
    public var metadataOnlyModels: Set<String>

    public init(content: Content = .full, maxTextChars: Int? = nil, metadataOnlyModels: Set<String> = []) {
        self.content = content
        self.maxTextChars = maxTextChars
        self.metadataOnlyModels = metadataOnlyModels
    }

    /// Records everything as it is.
    public static let full = RecordingPolicy()

    var keepsEverything: Bool { content == .full && maxTextChars == nil && metadataOnlyModels.isEmpty }

    /// The record as this policy stores it.
    public func apply(to record: CallRecord) -> CallRecord {
        var record = record
        if content == .metadata || metadataOnlyModels.contains(record.model) {
            record.systemPrompt = nil
            record.userMessage = nil
            record.responseContent = nil
            record.toolCalls = nil
        }
        if let limit = maxTextChars {
            record.systemPrompt = record.systemPrompt.map { Self.cut($0, to: limit) }
            record.userMessage = record.userMessage.map { Self.cut($0, to: limit) }
            record.responseContent = record.responseContent.map { Self.cut($0, to: limit) }
            record.toolCalls = record.toolCalls.map { Self.cut($0, to: limit) }
            record.errorMessage = record.errorMessage.map { Self.cut($0, to: max(limit, 200)) }
        }
        return record
    }

    private static func cut(_ text: String, to limit: Int) -> String {
        text.count > limit ? String(text.prefix(max(0, limit))) : text
    }
}

/// Applies a recording policy to every record on its way to the real recorder.
struct PolicyRecorder: CallRecorder {
    let base: any CallRecorder
    let policy: RecordingPolicy

    func record(_ record: CallRecord) {
        base.record(policy.apply(to: record))
    }
}
