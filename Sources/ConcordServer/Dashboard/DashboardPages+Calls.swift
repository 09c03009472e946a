import ConcordCore
import ConcordStore
import Foundation

extension DashboardPages {
    /// The log explorer: filters as a GET form, a page of calls, and a link to the next page.
    static func logs(_ page: CallLogPage, filter: CallLogFilter, caller: AuthenticatedCaller) -> String {
        var html = "<h1>Calls</h1><form class=\"filters\" method=\"get\" action=\"/dashboard/logs\" id=\"log-filters\">"
        func field(_ name: String, _ label: String, _ value: String?) -> String {
            "<label>\(label)<input name=\"\(name)\" value=\"\(HTML.escape(value ?? ""))\"></label>"
        }
        html += field("model", "model", filter.model)
        html += field("provider", "provider", filter.provider)
        html += field("caller_name", "caller", filter.callerName)
        if caller.isAdmin { html += field("user_id", "user", filter.userID) }
        html += field("trace_id", "trace", filter.traceID)
        html += "<label>status<select name=\"status\">"
        for (value, label) in [("", "any"), ("success", "success"), ("error", "error")] {
            let selected = (filter.status?.rawValue ?? "") == value ? " selected" : ""
            html += "<option value=\"\(value)\"\(selected)>\(label)</option>"
        }
        html += "</select></label><label>since<input name=\"since\" placeholder=\"24h\" value=\"\"></label>"
        html += "<button type=\"submit\">Filter</button></form>"
        html += callTable(page.items, id: "calls", showUser: caller.isAdmin)
        if let cursor = page.nextCursor {
            let next = HTML.query([
                ("model", filter.model), ("provider", filter.provider), ("caller_name", filter.callerName),
                ("user_id", caller.isAdmin ? filter.userID : nil), ("trace_id", filter.traceID),
                ("status", filter.status?.rawValue), ("since", filter.since.map { String($0) }),
                ("until", filter.until.map { String($0) }), ("cursor", cursor),
            ])
            html += "<p><a id=\"next-page\" href=\"/dashboard/logs\(next)\">Next page →</a></p>"
        }
        return html
    }

    /// One call, every column.
    static func call(_ call: CallRecord) -> String {
        var html = "<h1>Call <code id=\"call-id\">\(HTML.escape(call.id))</code></h1><dl id=\"call-detail\">"
        let rows: [(String, String)] = [
            ("time", HTML.time(call.createdAt)),
            (
                "status",
                call.status == .success ? "<span class=\"ok\">success</span>" : "<span class=\"error\">error</span>"
            ),
            ("error", HTML.escape(call.errorMessage ?? "—")),
            ("model", HTML.escape(call.model)),
            ("provider", HTML.escape(call.provider)),
            ("caller", "\(HTML.escape(call.callerType.rawValue)):\(HTML.escape(call.callerName))"),
            ("user", HTML.escape(call.userID ?? "—")),
            ("trace", "<a href=\"/dashboard/traces/\(HTML.path(call.traceID))\">\(HTML.escape(call.traceID))</a>"),
            (
                "parent call",
                call.parentCallID.map { "<a href=\"/dashboard/calls/\(HTML.path($0))\">\(HTML.escape($0))</a>" } ?? "—"
            ),
            ("prompt tokens", String(call.promptTokens)),
            ("completion tokens", String(call.completionTokens)),
            ("total tokens", String(call.totalTokens)),
            ("cost", HTML.cost(call.costUSD)),
            ("latency", "\(call.latencyMs) ms"),
            ("time to first token", call.ttftMs.map { "\($0) ms" } ?? "—"),
            ("streamed", call.isStream ? "yes" : "no"),
            ("finish reason", HTML.escape(call.finishReason ?? "—")),
            ("messages", String(call.messagesCount)),
        ]
        for (name, value) in rows {
            html += "<dt>\(name)</dt><dd data-field=\"\(name.replacingOccurrences(of: " ", with: "_"))\">\(value)</dd>"
        }
        html += "</dl>"
        let bodies: [(String, String?)] = [
            ("System prompt", call.systemPrompt), ("User message", call.userMessage),
            ("Response", call.responseContent), ("Tool calls", call.toolCalls),
        ]
        for case (let title, let text?) in bodies {
            html += "<h2>\(title)</h2><pre>\(HTML.escape(text))</pre>"
        }
        return html
    }

    /// A trace as a nested list by parent call, with its totals.
    static func trace(_ tree: TraceTree) -> String {
        let totals = tree.totals
        var html = "<h1>Trace <code>\(HTML.escape(tree.traceID))</code></h1>"
        html +=
            "<p id=\"trace-totals\">\(totals.calls) calls · \(totals.errors) errors · \(HTML.integer(totals.totalTokens)) tokens · "
        html += "\(HTML.cost(totals.costUSD)) · \(totals.durationMs) ms</p>"
        if tree.truncated {
            html +=
                "<p id=\"trace-truncated\">The first \(HTML.integer(TraceTree.maximumCalls)) calls of a longer trace.</p>"
        }
        html += "<div class=\"tree\" id=\"trace-tree\">"
        func list(_ nodes: [TraceTree.Node]) -> String {
            guard !nodes.isEmpty else { return "" }
            var html = "<ul>"
            for node in nodes {
                let call = node.call
                let status =
                    call.status == .success
                    ? "<span class=\"ok\">ok</span>"
                    : "<span class=\"error\">error: \(HTML.escape(call.errorMessage ?? ""))</span>"
                html +=
                    "<li><a href=\"/dashboard/calls/\(HTML.path(call.id))\">\(HTML.escape(String(call.id.prefix(8))))</a> "
                html +=
                    "\(HTML.escape(call.model)) [\(HTML.escape(call.callerType.rawValue)):\(HTML.escape(call.callerName))] "
                html +=
                    "\(status) · \(HTML.integer(call.totalTokens)) tok · \(HTML.cost(call.costUSD)) · \(call.latencyMs) ms"
                html += list(node.children) + "</li>"
            }
            return html + "</ul>"
        }
        return html + list(tree.roots) + "</div>"
    }
}
