public import ConcordCore

/// Scopes for in-process callers (agents, workflows): attribution and parent links travel in task-local
/// context, so every gateway call inside a scope is recorded with them without any parameter passing.
///
/// ```swift
/// try await CallScope.run(as: .agent, named: "router-agent") {
///     try await gateway.chat(request) { routed in          // the calls inside are this call's children
///         try await CallScope.run(as: .agent, named: "chat-agent") { try await chatAgent.answer(...) }
///     }
/// }
/// ```
public enum CallScope {
    /// Runs `body` with every call inside attributed to this caller. Joins the enclosing trace, or starts one.
    public static func run<T>(
        as callerType: CallContext.CallerType,
        named name: String,
        userID: String? = nil,
        _ body: () async throws -> T
    ) async rethrows -> T {
        var context = CallContext.current ?? CallContext()
        context.callerType = callerType
        context.callerName = name
        if let userID { context.userID = userID }
        return try await CallContext.$current.withValue(context, operation: body)
    }

    /// Runs `body` with every call inside recorded as a child of `callID`, in `traceID`.
    public static func within<T>(call callID: String, traceID: String, _ body: () async throws -> T) async rethrows -> T
    {
        var context = CallContext.current ?? CallContext()
        context.traceID = traceID
        context.parentCallID = callID
        return try await CallContext.$current.withValue(context, operation: body)
    }
}

extension Gateway {
    /// Makes a call, then runs `body` inside that call's scope: whatever `body` asks the gateway — a tool
    /// step's follow-up, a hand-off to another agent — is recorded as this call's child, in its trace.
    public func chat<T>(
        _ request: ChatRequest,
        inScope body: (ChatResult) async throws -> T
    ) async throws -> T {
        let result = try await chat(request)
        return try await CallScope.within(call: result.callID, traceID: result.traceID) {
            try await body(result)
        }
    }
}
