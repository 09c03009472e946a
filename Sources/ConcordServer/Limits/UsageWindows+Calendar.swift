public import ConcordStore
import Foundation

extension UsageWindows {
    /// The UTC minute, day and month that contain `seconds` (since 1970).
    public static func containing(_ seconds: Double) -> UsageWindows {
        let minute = (seconds / 60).rounded(.down) * 60
        let day = (seconds / 86_400).rounded(.down) * 86_400
        return UsageWindows(minuteStart: minute, dayStart: day, monthStart: monthStart(containing: seconds))
    }

    var minuteEnd: Double { minuteStart + 60 }
    var dayEnd: Double { dayStart + 86_400 }
    var monthEnd: Double { Self.monthStart(containing: monthStart + 32 * 86_400) }

    private static func monthStart(containing seconds: Double) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: seconds)
        let parts = calendar.dateComponents([.year, .month], from: date)
        return calendar.date(from: parts)?.timeIntervalSince1970 ?? (seconds / 86_400).rounded(.down) * 86_400
    }
}

extension WindowUsage {
    /// Usage counted in `counted` windows, as seen from `current`: a window that has ended counts nothing.
    mutating func add(_ other: WindowUsage, counted: UsageWindows, current: UsageWindows) {
        if counted.minuteStart == current.minuteStart {
            minuteRequests += other.minuteRequests
            minuteTokens += other.minuteTokens
        }
        if counted.dayStart == current.dayStart {
            dayTokens += other.dayTokens
            dayUSD += other.dayUSD
        }
        if counted.monthStart == current.monthStart {
            monthTokens += other.monthTokens
            monthUSD += other.monthUSD
        }
    }

    /// One call's usage, in every window.
    static func call(requests: Int, tokens: Int, usd: Double) -> WindowUsage {
        var usage = WindowUsage()
        usage.minuteRequests = requests
        usage.minuteTokens = tokens
        usage.dayTokens = tokens
        usage.dayUSD = usd
        usage.monthTokens = tokens
        usage.monthUSD = usd
        return usage
    }
}
