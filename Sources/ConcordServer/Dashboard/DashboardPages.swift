import ConcordCore
import ConcordStore
import Foundation

/// The HTML of each dashboard page. Every value from the database is escaped here.
enum DashboardPages {
    static func login(failed: Bool) -> String {
        let message = failed ? "<p class=\"error\" id=\"login-error\">That key was not accepted.</p>" : ""
        let body = """
            <form class="login" method="post" action="/dashboard/login">
            <h1>Sign in</h1>\(message)
            <label for="key">API key</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
            <button type="submit" id="sign-in">Sign in</button>
            <p class="muted">Use a Concord API key. It is checked once; the browser keeps only a session cookie.</p>
            </form>
            """
        return DashboardLayout.page(title: "Sign in", caller: nil, body: body)
    }

    static func overview(_ data: DashboardOverview, range: DashboardRange, model: String?, caller: AuthenticatedCaller)
        -> String
    {
        let totals = data.totals
        var html = "<h1>Usage\(model.map { " of <span id=\"model-filter\">\(HTML.escape($0))</span>" } ?? "")</h1>"
        html += "<div class=\"ranges\" id=\"ranges\">"
        for option in DashboardRange.allCases {
            let on = option == range ? " class=\"on\"" : ""
            html +=
                "<a\(on) href=\"/dashboard\(HTML.query([("range", option.rawValue), ("model", model)]))\">\(option.rawValue)</a>"
        }
        if model != nil { html += "<a href=\"/dashboard\(HTML.query([("range", range.rawValue)]))\">all models</a>" }
        html += "</div>"
        html += "<div class=\"cards\">"
        html += card("Requests", "requests", HTML.integer(totals.requests), raw: String(totals.requests))
        html += card(
            "Errors", "errors", HTML.integer(totals.errors), raw: String(totals.errors),
            note: HTML.percent(totals.errorRate) + " error rate"
        )
        html += card(
            "Tokens", "tokens", HTML.integer(totals.totalTokens), raw: String(totals.totalTokens),
            note: "\(HTML.integer(totals.promptTokens)) in · \(HTML.integer(totals.completionTokens)) out")
        html += card(
            "Cost", "cost", HTML.cost(totals.costUSD), raw: totals.costUSD.map { String($0) } ?? "",
            note: "\(HTML.integer(totals.unpricedRequests)) unpriced calls")
        html += card("Latency p50", "p50", HTML.milliseconds(totals.latencyPercentileMs(0.5)))
        html += card(
            "Latency p95 / p99", "p95",
            "\(HTML.milliseconds(totals.latencyPercentileMs(0.95))) / \(HTML.milliseconds(totals.latencyPercentileMs(0.99)))"
        )
        html += "</div>"

        let label: (Int64) -> String = { start in
            let date = Date(timeIntervalSince1970: Double(start))
            return range.bucket == .day
                ? date.formatted(.iso8601.year().month().day())
                : date.formatted(
                    .iso8601.month().day().time(includingFractionalSeconds: false).dateTimeSeparator(.space))
        }
        html += "<h2>Over time (per \(range.bucket == .day ? "day" : "hour"), UTC)</h2><div class=\"charts\">"
        html += SVGChart.bars(
            title: "Requests", id: "requests",
            points: data.series.map { (label($0.start), Double($0.stats.requests)) }
        ) { HTML.integer($0) }
        html += SVGChart.bars(
            title: "Tokens", id: "tokens",
            points: data.series.map { (label($0.start), Double($0.stats.totalTokens)) }
        ) { HTML.integer($0) }
        html += SVGChart.bars(
            title: "Cost (USD)", id: "cost",
            points: data.series.map { (label($0.start), $0.stats.pricedCostUSD) }
        ) { HTML.cost($0) }
        html += SVGChart.bars(
            title: "Errors", id: "errors",
            points: data.series.map { (label($0.start), Double($0.stats.errors)) }
        ) { HTML.integer($0) }
        html += "</div>"

        html += "<div class=\"tables\">"
        html += breakdown("By model", id: "by-model", rows: data.byModel) { row in
            let name = row.model ?? ""
            return
                "<a href=\"/dashboard\(HTML.query([("range", range.rawValue), ("model", name)]))\">\(HTML.escape(name))</a>"
        }
        html += breakdown("By agent (caller)", id: "by-caller", rows: data.byCaller) { row in
            let name = row.callerName ?? ""
            return "<a href=\"/dashboard/logs\(HTML.query([("caller_name", name), ("model", model)]))\">"
                + "\(HTML.escape(row.callerType ?? "")):\(HTML.escape(name))</a>"
        }
        html += breakdown("By user", id: "by-user", rows: data.byUser) { row in
            guard let user = row.userID else { return "<span class=\"muted\">(none)</span>" }
            return
                "<a href=\"/dashboard/logs\(HTML.query([("user_id", user), ("model", model)]))\">\(HTML.escape(user))</a>"
        }
        html += breakdown("By provider", id: "by-provider", rows: data.byProvider) { HTML.escape($0.provider ?? "") }
        html += "</div>"

        html += "<h2>Recent errors</h2>"
        html += callTable(data.recentErrors, id: "recent-errors", showUser: caller.isAdmin)
        html += "<p><a href=\"/dashboard/logs\(HTML.query([("model", model)]))\" id=\"all-calls\">All calls →</a></p>"
        return html
    }

    static func card(_ label: String, _ id: String, _ value: String, raw: String? = nil, note: String? = nil) -> String
    {
        let data = raw.map { " data-value=\"\(HTML.escape($0))\"" } ?? ""
        return """
            <div class="card" id="card-\(id)"><div class="label">\(label)</div>\
            <div class="value"\(data)>\(value)</div>\(note.map { "<div class=\"note\">\($0)</div>" } ?? "")</div>
            """
    }

    static func breakdown(_ title: String, id: String, rows: [UsageStatsRow], name: (UsageStatsRow) -> String) -> String
    {
        var html = "<div><h2>\(title)</h2><div class=\"scroll\"><table id=\"\(id)\"><thead><tr><th>name</th>"
        html += "<th class=\"num\">requests</th><th class=\"num\">errors</th><th class=\"num\">tokens</th>"
        html +=
            "<th class=\"num\">cost</th><th class=\"num\">unpriced</th><th class=\"num\">p95</th></tr></thead><tbody>"
        if rows.isEmpty { html += "<tr><td colspan=\"7\" class=\"muted\">No calls in this range.</td></tr>" }
        for row in rows {
            let stats = row.stats
            html += "<tr><td>\(name(row))</td>"
            html += "<td class=\"num\" data-value=\"\(stats.requests)\">\(HTML.integer(stats.requests))</td>"
            html += "<td class=\"num\" data-value=\"\(stats.errors)\">\(HTML.integer(stats.errors))</td>"
            html += "<td class=\"num\" data-value=\"\(stats.totalTokens)\">\(HTML.integer(stats.totalTokens))</td>"
            html += "<td class=\"num\">\(HTML.cost(stats.costUSD))</td>"
            html += "<td class=\"num\">\(HTML.integer(stats.unpricedRequests))</td>"
            html += "<td class=\"num\">\(HTML.milliseconds(stats.latencyPercentileMs(0.95)))</td></tr>"
        }
        return html + "</tbody></table></div></div>"
    }

    static func callTable(_ calls: [CallLogSummary], id: String, showUser: Bool) -> String {
        var html =
            "<div class=\"scroll\"><table id=\"\(id)\"><thead><tr><th>time (UTC)</th><th>model</th><th>caller</th>"
        if showUser { html += "<th>user</th>" }
        html +=
            "<th>status</th><th class=\"num\">tokens</th><th class=\"num\">cost</th><th class=\"num\">latency</th></tr></thead><tbody>"
        if calls.isEmpty { html += "<tr><td colspan=\"8\" class=\"muted\">No calls.</td></tr>" }
        for call in calls {
            let status =
                call.status == .success
                ? "<span class=\"ok\">ok</span>"
                : "<span class=\"error\" title=\"\(HTML.escape(call.errorMessage ?? ""))\">error</span>"
            html += "<tr class=\"call\" data-id=\"\(HTML.escape(call.id))\">"
            html += "<td><a href=\"/dashboard/calls/\(HTML.path(call.id))\">\(HTML.time(call.createdAt))</a></td>"
            html += "<td>\(HTML.escape(call.model))</td>"
            html += "<td>\(HTML.escape(call.callerType.rawValue)):\(HTML.escape(call.callerName))</td>"
            if showUser { html += "<td>\(HTML.escape(call.userID ?? "—"))</td>" }
            html += "<td>\(status)</td><td class=\"num\">\(HTML.integer(call.totalTokens))</td>"
            html += "<td class=\"num\">\(HTML.cost(call.costUSD))</td><td class=\"num\">\(call.latencyMs) ms</td></tr>"
        }
        return html + "</tbody></table></div>"
    }
}
