extension LogWriter {
    /// How the writer batches, and how much it holds in memory before it turns to the spool.
    public struct Configuration: Sendable {
        /// The append-only file records go to while the database cannot take them. One per process: it is
        /// locked while open.
        public var spoolPath: String
        /// A batch is written as soon as this many records are waiting (or `flushInterval` after the first).
        public var batchSize: Int
        /// Most records per transaction when more are waiting — a backlog, a spool replay. Larger transactions
        /// cost less per row (one commit, one WAL write of the shared pages) but hold the write lock longer.
        public var largestBatch: Int
        /// Longest a record waits for its batch to fill.
        public var flushInterval: Duration
        /// While the database is failing, or a write has made no progress for `spillAfter`, the queue is moved to
        /// the spool whenever it holds this many records, or `memoryThresholdBytes` of them.
        public var memoryThreshold: Int
        /// The same threshold in bytes (`CallRecord`'s texts plus a fixed allowance each): long prompts reach it
        /// long before the record count does.
        public var memoryThresholdBytes: Int
        /// How long a write may go without progress (a database that hangs rather than fails) before a queue at
        /// `memoryThreshold` goes to the spool instead of waiting in memory. At least 10 ms.
        public var spillAfter: Duration
        /// If even the spool cannot keep up, `record` itself moves the queue to the spool at this size (or at
        /// `hardCapBytes`). Bounds memory whatever the database does; costs that one caller an fsync in that rare
        /// case (others go on queueing).
        public var hardCap: Int
        /// The hard cap in bytes, counted as for `memoryThresholdBytes`.
        public var hardCapBytes: Int
        /// First wait before retrying a failed write; doubles up to `maximumRetryDelay`.
        public var initialRetryDelay: Duration
        public var maximumRetryDelay: Duration

        /// `memoryThresholdBytes` unless configured: 64 MiB.
        public static let defaultMemoryThresholdBytes = 64 << 20
        /// `hardCapBytes` unless configured: 512 MiB.
        public static let defaultHardCapBytes = 512 << 20

        public init(
            spoolPath: String,
            batchSize: Int = 1_000,
            largestBatch: Int = 5_000,
            flushInterval: Duration = .milliseconds(50),
            memoryThreshold: Int = 5_000,
            memoryThresholdBytes: Int = Configuration.defaultMemoryThresholdBytes,
            hardCap: Int = 50_000,
            hardCapBytes: Int = Configuration.defaultHardCapBytes,
            spillAfter: Duration = .seconds(1),
            initialRetryDelay: Duration = .milliseconds(100),
            maximumRetryDelay: Duration = .seconds(5)
        ) {
            self.spoolPath = spoolPath
            self.batchSize = batchSize
            self.largestBatch = largestBatch
            self.flushInterval = flushInterval
            self.memoryThreshold = memoryThreshold
            self.memoryThresholdBytes = memoryThresholdBytes
            self.hardCap = hardCap
            self.hardCapBytes = hardCapBytes
            self.spillAfter = spillAfter
            self.initialRetryDelay = initialRetryDelay
            self.maximumRetryDelay = maximumRetryDelay
            self = normalized()
        }

        /// Every bound brought into range: at least one record per batch and threshold, the hard caps at or above
        /// the thresholds, `spillAfter` at least 10 ms. The writer uses its configuration normalized, however the
        /// properties were set.
        func normalized() -> Configuration {
            var configuration = self
            configuration.batchSize = max(1, batchSize)
            configuration.largestBatch = max(configuration.batchSize, largestBatch)
            configuration.memoryThreshold = max(1, memoryThreshold)
            configuration.memoryThresholdBytes = max(1, memoryThresholdBytes)
            configuration.hardCap = max(configuration.memoryThreshold, hardCap)
            configuration.hardCapBytes = max(configuration.memoryThresholdBytes, hardCapBytes)
            configuration.spillAfter = max(.milliseconds(10), spillAfter)
            configuration.maximumRetryDelay = max(initialRetryDelay, maximumRetryDelay)
            return configuration
        }
    }
}
