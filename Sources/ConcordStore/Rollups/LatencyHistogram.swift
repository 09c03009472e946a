/// A fixed-bucket latency histogram: the shape in which the rollups keep latencies so percentiles can be read
/// back from sums, whatever the number of calls summarised.
///
/// Twenty buckets with roughly log-spaced upper bounds; a latency falls in the first bucket whose bound is at
/// least it, the last bucket holds everything slower. A percentile is found in its bucket and interpolated
/// linearly inside it, so it is exact to the bucket and never outside the bucket the true value is in.
public struct LatencyHistogram: Sendable, Hashable {
    /// Inclusive upper bounds in milliseconds of every bucket but the last, which is unbounded.
    public static let upperBounds: [Int] = [
        10, 25, 50, 75, 100, 150, 250, 400, 600, 1_000, 1_500, 2_500, 4_000, 6_000, 10_000, 15_000, 25_000, 40_000,
        60_000,
    ]
    public static let bucketCount = upperBounds.count + 1
    /// The rollup columns holding the counts, in bucket order.
    static let columns: [String] = (0..<bucketCount).map { "latency_b\($0 < 10 ? "0" : "")\($0)" }

    public var counts: [Int]

    public init(counts: [Int] = Array(repeating: 0, count: LatencyHistogram.bucketCount)) {
        self.counts = counts
    }

    public static func bucket(ofMilliseconds latency: Int) -> Int {
        upperBounds.firstIndex { latency <= $0 } ?? upperBounds.count
    }

    public mutating func add(milliseconds latency: Int) {
        counts[Self.bucket(ofMilliseconds: latency)] += 1
    }

    public mutating func add(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
    }

    public var total: Int { counts.reduce(0, +) }

    /// The `quantile` (0...1) in milliseconds, interpolated in its bucket; `maximum` (the slowest latency seen)
    /// bounds the open last bucket. `nil` when the histogram is empty.
    public func percentile(_ quantile: Double, maximum: Int) -> Double? {
        let total = self.total
        guard total > 0 else { return nil }
        let rank = max(1, (quantile * Double(total)).rounded(.up))
        var seen = 0
        for (index, count) in counts.enumerated() where count > 0 {
            if Double(seen + count) >= rank {
                let lower = index == 0 ? 0 : Double(Self.upperBounds[index - 1])
                var upper = index < Self.upperBounds.count ? Double(Self.upperBounds[index]) : Double(maximum)
                upper = max(lower, min(upper, Double(maximum)))
                let fraction = (rank - Double(seen)) / Double(count)
                return ((lower + (upper - lower) * fraction) * 10).rounded() / 10
            }
            seen += count
        }
        return Double(maximum)
    }
}
