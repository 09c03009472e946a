import ConcordCore
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Records waiting for the database, on local disk: an append-only file of JSON lines (one `CallRecord` each),
/// fsync'd on every append, replayed from the front in order, and truncated once everything in it is written.
///
/// The file is locked (`flock`) while open, so two processes can never share (and double-replay or truncate) one
/// spool. A torn last line left by a crash mid-append is cut off at open: those records were never acknowledged
/// as spooled.
final class Spool: Sendable {
    /// Records read for replay that are not yet committed: `commit` them once written.
    struct Batch: Sendable {
        var records: [CallRecord]
        fileprivate var endOffset: Int64
        fileprivate var lines: Int
    }

    private let file: Mutex<SpoolFile>
    let path: String

    init(path: String, logger: Logger) throws {
        self.path = path
        self.file = Mutex(try SpoolFile(path: path, logger: logger))
    }

    /// Records in the file not yet written to the database.
    var pendingCount: Int { file.withLock { $0.unreplayed } }

    /// Appends and fsyncs. On failure nothing was added (a partial write is cut back).
    func append(_ records: some Collection<CallRecord>) throws {
        guard !records.isEmpty else { return }
        var bytes = [UInt8]()
        let encoder = JSONEncoder()
        for record in records {
            bytes.append(contentsOf: try encoder.encode(record))
            bytes.append(0x0A)
        }
        try file.withLock { try $0.append(bytes, lines: records.count) }
    }

    /// The oldest records not yet replayed: at most `maximum`, and no more lines once `maximumBytes` of the file
    /// are read (at least one), so a spool of long records replays in batches memory can hold; `nil` when there
    /// are none.
    func nextBatch(maximum: Int, maximumBytes: Int) throws -> Batch? {
        try file.withLock { try $0.nextBatch(maximum: maximum, maximumBytes: maximumBytes) }
    }

    /// Marks a batch as written; empties the file once everything in it is.
    func commit(_ batch: Batch) throws {
        try file.withLock { try $0.commit(batch) }
    }
}

/// The file behind `Spool`, only touched under its mutex.
private struct SpoolFile: ~Copyable {
    private let descriptor: Int32
    private let logger: Logger
    private(set) var unreplayed: Int = 0
    private var replayOffset: Int64 = 0
    private var size: Int64 = 0

    init(path: String, logger: Logger) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(.spoolUnavailable, "cannot open the spool file at \(path): \(Self.errnoText())")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw StoreError(.spoolUnavailable, "the spool file at \(path) is in use by another process")
        }
        let contents: (size: Int64, lines: Int)
        do {
            contents = try Self.scan(descriptor, logger: logger)
        } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.logger = logger
        self.size = contents.size
        self.unreplayed = contents.lines
    }

    deinit {
        close(descriptor)
    }

    /// Counts the complete lines and cuts off a torn last one.
    private static func scan(_ descriptor: Int32, logger: Logger) throws -> (size: Int64, lines: Int) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset: Int64 = 0
        var lastLineEnd: Int64 = 0
        var lines = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
            guard count >= 0 else { throw StoreError(.spoolUnavailable, "cannot read the spool: \(errnoText())") }
            if count == 0 { break }
            for index in 0..<count where chunk[index] == 0x0A {
                lines += 1
                lastLineEnd = offset + Int64(index) + 1
            }
            offset += Int64(count)
        }
        if offset > lastLineEnd {
            logger.warning(
                "spool ended in a torn line (crash during an append); cutting it off",
                metadata: ["spool.bytes_dropped": "\(offset - lastLineEnd)"]
            )
            try truncate(descriptor, to: lastLineEnd)
        }
        return (lastLineEnd, lines)
    }

    mutating func append(_ bytes: [UInt8], lines: Int) throws {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = Self.errnoText()
                try? truncate(to: size)
                throw StoreError(.spoolUnavailable, "cannot append to the spool: \(reason)")
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            let reason = Self.errnoText()
            try? truncate(to: size)
            throw StoreError(.spoolUnavailable, "cannot fsync the spool: \(reason)")
        }
        size += Int64(bytes.count)
        unreplayed += lines
    }

    func nextBatch(maximum: Int, maximumBytes: Int) throws -> Spool.Batch? {
        guard unreplayed > 0, replayOffset < size else { return nil }
        let decoder = JSONDecoder()
        var records: [CallRecord] = []
        var lines = 0
        var skipped = 0
        var buffer: [UInt8] = []
        let bufferStart = replayOffset
        var lineStart = 0
        var scanned = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        // At least one line, whatever the bounds: a batch must always make progress.
        while lines == 0 || (lines < maximum && lineStart < maximumBytes) {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Data(buffer[lineStart..<newline])
                if let record = try? decoder.decode(CallRecord.self, from: line) {
                    records.append(record)
                } else {
                    skipped += 1
                }
                lines += 1
                lineStart = newline + 1
                scanned = lineStart
                continue
            }
            scanned = buffer.count
            let readOffset = bufferStart + Int64(buffer.count)
            guard readOffset < size else { break }
            let toRead = Int(min(Int64(chunk.count), size - readOffset))
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, toRead, off_t(readOffset)) }
            guard count > 0 else {
                throw StoreError(.spoolUnavailable, "cannot read the spool: \(Self.errnoText())")
            }
            buffer.append(contentsOf: chunk[0..<count])
        }
        if skipped > 0 {
            logger.error("spool lines could not be decoded and are skipped", metadata: ["spool.lines": "\(skipped)"])
        }
        guard lines > 0 else { return nil }
        return Spool.Batch(records: records, endOffset: bufferStart + Int64(lineStart), lines: lines)
    }

    mutating func commit(_ batch: Spool.Batch) throws {
        replayOffset = batch.endOffset
        unreplayed = max(0, unreplayed - batch.lines)
        if replayOffset >= size {
            try truncate(to: 0)
            size = 0
            replayOffset = 0
            unreplayed = 0
        }
    }

    private func truncate(to length: Int64) throws {
        try Self.truncate(descriptor, to: length)
    }

    private static func truncate(_ descriptor: Int32, to length: Int64) throws {
        guard ftruncate(descriptor, off_t(length)) == 0, fsync(descriptor) == 0 else {
            throw StoreError(.spoolUnavailable, "cannot truncate the spool: \(errnoText())")
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
