import Synchronization

/// `(?1, ?2, …), (…)`: the placeholder text of a multi-row `INSERT … VALUES`, cached per shape. Asking SQLKit's
/// dialect for each of the thousands of placeholders of a batch was most of the cost of a bulk insert on the
/// Swift side.
enum BulkValues {
    /// The shape of a `VALUES` list: the same shape (one per batch size) always has the same text.
    private struct Layout: Hashable {
        var prefix: String
        var firstPosition: Int
        var rows: Int
        var width: Int
    }

    private static let cache = Mutex<[Layout: String]>([:])

    /// `(?1, ?2), (?3, ?4)` for `prefix` `?`, numbered from `firstPosition`; cached per shape.
    static func placeholders(prefix: String, firstPosition: Int, rows: Int, width: Int) -> String {
        let layout = Layout(prefix: prefix, firstPosition: firstPosition, rows: rows, width: width)
        if let cached = cache.withLock({ $0[layout] }) { return cached }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(layout.rows * layout.width * 9)
        var position = layout.firstPosition
        for row in 0..<layout.rows {
            bytes.append(contentsOf: row == 0 ? Array("(".utf8) : Array(", (".utf8))
            for column in 0..<layout.width {
                if column > 0 { bytes.append(contentsOf: ", ".utf8) }
                bytes.append(contentsOf: layout.prefix.utf8)
                bytes.append(contentsOf: String(position).utf8)
                position += 1
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
