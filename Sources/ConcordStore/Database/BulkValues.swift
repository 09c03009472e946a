import SQLKit
import Synchronization

/// `(v, v, …), (v, v, …)`: the rows of a multi-row `INSERT … VALUES`, every value a bound parameter.
///
/// SQLKit's generic builder wraps each of the thousands of values of a batch in its own expression and asks the
/// dialect for each placeholder; this writes the same SQL directly, which is most of the cost of a bulk insert
/// on the Swift side.
struct BulkValues: SQLExpression {
    var rows: [[any Encodable & Sendable]]

    func serialize(to serializer: inout SQLSerializer) {
        guard let prefix = Self.placeholderPrefix(serializer) else {
            for (index, row) in rows.enumerated() {
                serializer.write(index == 0 ? "(" : ", (")
                for (column, value) in row.enumerated() {
                    if column > 0 { serializer.write(", ") }
                    serializer.write(bind: value)
                }
                serializer.write(")")
            }
            return
        }
        let width = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == width }) else {
            preconditionFailure("BulkValues rows must all have the same number of values")
        }
        let first = serializer.binds.count + 1
        serializer.binds.reserveCapacity(serializer.binds.count + rows.count * width)
        for row in rows { serializer.binds.append(contentsOf: row) }
        serializer.write(Self.placeholders(prefix: prefix, firstPosition: first, rows: rows.count, width: width))
    }

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

    /// The dialect's placeholder written as a prefix and the 1-based position (`?1`, `$1`), or `nil` when it is
    /// some other form, for which the dialect is asked every time.
    private static func placeholderPrefix(_ serializer: SQLSerializer) -> String? {
        func render(_ position: Int) -> String {
            var scratch = SQLSerializer(database: serializer.database)
            serializer.dialect.bindPlaceholder(at: position).serialize(to: &scratch)
            return scratch.sql
        }
        let base = serializer.binds.count
        let first = render(base + 1)
        let prefix = String(first.dropLast(String(base + 1).count))
        guard first == prefix + String(base + 1), render(base + 2) == prefix + String(base + 2) else { return nil }
        return prefix
    }
}
