public import ConcordCore
public import Hummingbird

/// `GET /api/llm/traces/{trace_id}`: the calls of one trace as a tree by `parent_call_id`, with totals.
public struct TraceController: Sendable {
    let history: any CallHistory

    public init(history: any CallHistory) {
        self.history = history
    }

    public func tree(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let traceID = try context.parameters.require("trace_id")
        guard let tree = try await TraceTree.load(traceID, from: history, for: caller) else {
            throw GatewayError(.notFound, "No calls in trace '\(traceID)'.")
        }
        return JSONResponse.make(tree)
    }
}

/// A trace's calls arranged by parent: a call whose parent is not in the trace is a root.
public struct TraceTree: Encodable, Sendable {
    public struct Node: Encodable, Sendable {
        public var call: CallRecord
        public var children: [Node]

        enum CodingKeys: String, CodingKey {
            case id, model, provider, status, children
            case callerType = "caller_type"
            case callerName = "caller_name"
            case parentCallID = "parent_call_id"
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
            case costUSD = "cost_usd"
            case latencyMs = "latency_ms"
            case createdAt = "created_at"
            case errorMessage = "error_message"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(call.id, forKey: .id)
            try container.encode(call.parentCallID, forKey: .parentCallID)
            try container.encode(call.model, forKey: .model)
            try container.encode(call.provider, forKey: .provider)
            try container.encode(call.callerType, forKey: .callerType)
            try container.encode(call.callerName, forKey: .callerName)
            try container.encode(call.status, forKey: .status)
            try container.encode(call.errorMessage, forKey: .errorMessage)
            try container.encode(call.promptTokens, forKey: .promptTokens)
            try container.encode(call.completionTokens, forKey: .completionTokens)
            try container.encode(call.totalTokens, forKey: .totalTokens)
            try container.encode(call.costUSD, forKey: .costUSD)
            try container.encode(call.latencyMs, forKey: .latencyMs)
            try container.encode(call.createdAt, forKey: .createdAt)
            try container.encode(children, forKey: .children)
        }
    }

    public struct Totals: Encodable, Sendable {
        public var calls: Int
        public var errors: Int
        public var promptTokens: Int
        public var completionTokens: Int
        public var totalTokens: Int
        /// `nil` when no call in the trace was priced.
        public var costUSD: Double?
        /// From the first call's start to the last call's end.
        public var durationMs: Int

        enum CodingKeys: String, CodingKey {
            case calls, errors
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
            case costUSD = "cost_usd"
            case durationMs = "duration_ms"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(calls, forKey: .calls)
            try container.encode(errors, forKey: .errors)
            try container.encode(promptTokens, forKey: .promptTokens)
            try container.encode(completionTokens, forKey: .completionTokens)
            try container.encode(totalTokens, forKey: .totalTokens)
            try container.encode(costUSD, forKey: .costUSD)
            try container.encode(durationMs, forKey: .durationMs)
        }
    }

    public var traceID: String
    public var totals: Totals
    public var roots: [Node]
    /// The trace has more calls than `maximumCalls`; these are its first, and the totals are theirs.
    public var truncated = false

    /// The most calls of one trace loaded at once: a trace is made by its callers, who could otherwise make one no
    /// process could hold.
    public static let maximumCalls = 10_000

    /// The trace as `caller` may see it (a `user` key only its own calls), from its first `maximumCalls` calls;
    /// `nil` when there is nothing to show.
    static func load(
        _ traceID: String, from history: any CallHistory, for caller: AuthenticatedCaller,
        maximumCalls: Int = Self.maximumCalls
    ) async throws -> TraceTree? {
        let loaded = try await history.calls(traceID: traceID, limit: maximumCalls + 1)
        let calls = loaded.prefix(maximumCalls).filter { caller.isAdmin || $0.userID == caller.userID }
        guard !calls.isEmpty else { return nil }
        var tree = TraceTree(traceID: traceID, calls: calls)
        tree.truncated = loaded.count > maximumCalls
        return tree
    }

    enum CodingKeys: String, CodingKey {
        case totals, truncated
        case traceID = "trace_id"
        case roots = "calls"
    }

    /// Levels of nesting shown. The tree, its JSON and its dashboard page are built by recursion, which a chain of
    /// thousands of calls (each naming the one before as parent) would take past the stack; deeper calls are shown
    /// flat under the last level.
    public static let maximumDepth = 64

    public init(traceID: String, calls: [CallRecord]) {
        self.traceID = traceID
        let ordered = calls.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let ids = Set(ordered.map(\.id))
        var children: [String: [CallRecord]] = [:]
        for call in ordered {
            if let parent = call.parentCallID, ids.contains(parent), parent != call.id {
                children[parent, default: []].append(call)
            }
        }
        var visited = Set<String>()
        func node(_ call: CallRecord, depth: Int) -> Node {
            visited.insert(call.id)
            let kids = (children[call.id] ?? []).filter { !visited.contains($0.id) }
            guard depth < Self.maximumDepth else {
                // The rest of a deeper chain, in order, as leaves of its last level.
                var leaves: [Node] = []
                var pending = kids
                var next = 0
                while next < pending.count {
                    let call = pending[next]
                    next += 1
                    guard visited.insert(call.id).inserted else { continue }
                    leaves.append(Node(call: call, children: []))
                    pending += (children[call.id] ?? []).filter { !visited.contains($0.id) }
                }
                return Node(call: call, children: leaves)
            }
            return Node(call: call, children: kids.map { node($0, depth: depth + 1) })
        }
        let rootCalls = ordered.filter { call in
            guard let parent = call.parentCallID else { return true }
            return !ids.contains(parent) || parent == call.id
        }
        var roots = rootCalls.map { node($0, depth: 1) }
        // A cycle of parents has no root; show its calls flat rather than drop them.
        roots += ordered.filter { !visited.contains($0.id) }.map { Node(call: $0, children: []) }
        self.roots = roots
        let priced = calls.compactMap(\.costUSD)
        let start = ordered.first?.createdAt ?? 0
        let end = ordered.map { $0.createdAt + Double($0.latencyMs) / 1000 }.max() ?? start
        self.totals = Totals(
            calls: calls.count,
            errors: calls.filter { $0.status == .error }.count,
            promptTokens: calls.reduce(0) { $0 + $1.promptTokens },
            completionTokens: calls.reduce(0) { $0 + $1.completionTokens },
            totalTokens: calls.reduce(0) { $0 + $1.totalTokens },
            costUSD: priced.isEmpty ? nil : priced.reduce(0, +),
            durationMs: Int(((end - start) * 1000).rounded())
        )
    }
}
