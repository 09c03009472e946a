import ConcordCore
public import ConcordStore
import ConcordWire
import Foundation

/// What `concord logs` prints: recent calls as a table, or a trace as a tree, or either as JSON.
public enum CallLogReport {
    /// Reads from the database at `databaseURL` and renders.
    public static func render(
        databaseURL: String,
        filter: CallLogFilter,
        json: Bool
    ) async throws -> String {
        let store = try SQLStore(url: databaseURL)
        do {
            let output: String
            if let traceID = filter.traceID {
                let admin = AuthenticatedCaller(userID: "admin", role: .admin)
                if let tree = try await TraceTree.load(traceID, from: store, for: admin) {
                    output = json ? WireJSON.encodeString(tree) : text(tree)
                } else {
                    output = json ? "null" : "No calls in trace \(traceID)."
                }
            } else {
                let page = try await store.listCalls(filter)
                output = json ? WireJSON.encodeString(page) : text(page)
            }
            try await store.shutdown()
            return output
        } catch {
            try? await store.shutdown()
            throw error
        }
    }

    static func text(_ page: CallLogPage) -> String {
        guard !page.items.isEmpty else { return "No calls recorded yet." }
        var table = TextTable(
            headers: ["TIME (UTC)", "CALL", "MODEL", "CALLER", "USER", "STATUS", "TOKENS", "COST", "LATENCY"],
            rightAligned: [6, 7, 8]
        )
        for call in page.items {
            table.rows.append([
                TerminalFormat.time(call.createdAt),
                String(call.id.prefix(8)),
                call.model,
                "\(call.callerType.rawValue):\(call.callerName)",
                call.userID ?? "-",
                call.status == .success ? "ok" : "error",
                String(call.totalTokens),
                TerminalFormat.cost(call.costUSD),
                "\(call.latencyMs) ms",
            ])
        }
        var output = table.render()
        if let cursor = page.nextCursor { output += "\n(more: --cursor \(cursor))" }
        return output
    }

    static func text(_ tree: TraceTree) -> String {
        var lines = [
            "trace \(tree.traceID): \(tree.totals.calls) calls, \(tree.totals.errors) errors, "
                + "\(tree.totals.totalTokens) tokens, \(TerminalFormat.cost(tree.totals.costUSD)), \(tree.totals.durationMs) ms"
        ]
        func walk(_ nodes: [TraceTree.Node], prefix: String) {
            for (index, node) in nodes.enumerated() {
                let last = index == nodes.count - 1
                let call = node.call
                var line = prefix + (last ? "└─ " : "├─ ")
                line += "\(call.id.prefix(8)) \(call.model) [\(call.callerType.rawValue):\(call.callerName)] "
                line += call.status == .success ? "ok" : "error: \(call.errorMessage ?? "")"
                line += " · \(call.totalTokens) tok · \(TerminalFormat.cost(call.costUSD)) · \(call.latencyMs) ms"
                lines.append(line)
                walk(node.children, prefix: prefix + (last ? "   " : "│  "))
            }
        }
        walk(tree.roots, prefix: "")
        return lines.joined(separator: "\n")
    }
}
