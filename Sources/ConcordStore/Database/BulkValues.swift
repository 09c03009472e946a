import Synchronization

/// `(?,?,…),(…)`: the placeholder text of a multi-row SQLite `INSERT … VALUES`, cached per shape.
///
/// sqlite-nio prepares every statement anew, so SQLite parses this text for each batch: anonymous `?`s (numbered
/// in order, as the values are bound) and no spaces keep that parse as short as it can be.
enum BulkValues {
    private struct Layout: Hashable {
        var rows: Int
        var width: Int
    }

    private static let cache = Mutex<[Layout: String]>([:])

    static func placeholders(rows: Int, width: Int) -> String {
        let layout = Layout(rows: rows, width: width)
        if let cached = cache.withLock({ $0[layout] }) { return cached }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows * (width * 2 + 2))
        for row in 0..<rows {
            if row > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "("))
            for column in 0..<width {
                if column > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(UInt8(ascii: "?"))
            }
            bytes.append(UInt8(ascii: ")"))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        cache.withLock { cache in
            if cache.count >= 32 { cache.removeAll() }
            cache[layout] = text
        }
        return text
    }
}
