import ConcordCore
public import ConcordStore
import Foundation

/// Compares usage with limits and words the refusal: which limit, how much was used, and when it resets.
enum LimitCheck {
    /// The refusal for the first limit `usage` has reached, or `nil` when the call may go on. A limit is reached
    /// when usage is at or over it: a call's tokens are known only after it, so the call that crosses a token
    /// budget is the last one let through.
    static func refusal(
        usage: WindowUsage,
        limits: UsageLimits,
        subject: String,
        windows: UsageWindows,
        now: Double
    ) -> GatewayError? {
        let checks: [(String, Double?, Double, Double)] = [
            (
                "requests-per-minute", limits.requestsPerMinute.map(Double.init), Double(usage.minuteRequests),
                windows.minuteEnd
            ),
            (
                "tokens-per-minute", limits.tokensPerMinute.map(Double.init), Double(usage.minuteTokens),
                windows.minuteEnd
            ),
            ("tokens-per-day", limits.tokensPerDay.map(Double.init), Double(usage.dayTokens), windows.dayEnd),
            ("USD-per-day", limits.usdPerDay, usage.dayUSD, windows.dayEnd),
            ("tokens-per-month", limits.tokensPerMonth.map(Double.init), Double(usage.monthTokens), windows.monthEnd),
            ("USD-per-month", limits.usdPerMonth, usage.monthUSD, windows.monthEnd),
        ]
        for (name, limit, used, resets) in checks {
            guard let limit, used >= limit else { continue }
            let resetTime = Date(timeIntervalSince1970: resets).formatted(.iso8601)
            return GatewayError(
                .rateLimited,
                "\(limitRefusalPrefix) the \(name) limit of \(subject) (\(format(limit))) is used up (\(format(used)) used). "
                    + "It resets at \(resetTime).",
                retryAfter: String(max(1, Int((resets - now).rounded(.up))))
            )
        }
        return nil
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.4f", value)
    }
}
