import ConcordCore
import ConcordProviders
import Foundation

/// What the interception point knows about a call from its start: the request's loggable parts, who made
/// it, and when. It turns an outcome into the call's `CallRecord`.
struct CallInProgress: Sendable {
    let callID: String
    let context: CallContext
    let isStream: Bool
    let model: String
    let systemPrompt: String?
    let userMessage: String?
    let messagesCount: Int
    let started = ContinuousClock.now
    let createdAt = Date().timeIntervalSince1970

    init(request: ChatRequest, context: CallContext, callID: String, isStream: Bool) {
        self.callID = callID
        self.context = context
        self.isStream = isStream
        self.model = request.model
        self.systemPrompt = request.systemPrompt
        self.userMessage = request.lastUserMessage
        self.messagesCount = request.messages.count
    }

    var elapsedMilliseconds: Int { Self.milliseconds(ContinuousClock.now - started) }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    func record(response: ChatResponse, route: ModelRoute) -> CallRecord {
        var record = baseRecord(route: route)
        record.responseContent = response.content
        record.toolCalls = Self.encodeToolCalls(response.toolCalls)
        record.finishReason = response.finishReason.rawValue
        apply(response.usage, route: route, to: &record)
        return record
    }

    func record(failure: GatewayError, route: ModelRoute?) -> CallRecord {
        var record = baseRecord(route: route)
        record.status = .error
        record.errorMessage = failure.message
        return record
    }

    func baseRecord(route: ModelRoute?) -> CallRecord {
        CallRecord(
            id: callID,
            traceID: context.traceID,
            parentCallID: context.parentCallID,
            model: model,
            provider: route?.model.provider.rawValue ?? "",
            callerType: context.callerType,
            callerName: context.callerName,
            userID: context.userID,
            systemPrompt: systemPrompt,
            userMessage: userMessage,
            messagesCount: messagesCount,
            latencyMs: elapsedMilliseconds,
            status: .success,
            createdAt: createdAt,
            isStream: isStream
        )
    }

    func apply(_ usage: Usage?, route: ModelRoute, to record: inout CallRecord) {
        guard let usage else { return }
        record.promptTokens = usage.promptTokens
        record.completionTokens = usage.completionTokens
        record.totalTokens = usage.totalTokens
        record.costUSD = route.model.cost(of: usage)
    }

    static func encodeToolCalls(_ calls: [ToolCall]) -> String? {
        guard !calls.isEmpty else { return nil }
        let objects = calls.map { ["id": $0.id, "name": $0.name, "arguments": $0.arguments] }
        guard let data = try? JSONEncoder().encode(objects) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
