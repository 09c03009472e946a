import Foundation

/// The position after the last row of a page: `(created_at, id)` of that row. Opaque to clients (base64url), so
/// its format can change without breaking them.
struct CallLogCursor: Sendable, Hashable {
    var createdAt: DatabaseTimestamp
    var id: String

    private static let version = "v1"

    var encoded: String {
        let plain = "\(Self.version):\(createdAt.microseconds):\(id)"
        return Data(plain.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(createdAt: DatabaseTimestamp, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    init(encoded: String) throws {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let plain = String(data: data, encoding: .utf8) else {
            throw StoreError(.invalidCursor, "the cursor is not one this server handed out")
        }
        let parts = plain.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        // Only times a call could have (1970 to the year 9999): arithmetic on others overflows further on.
        guard parts.count == 3, parts[0] == Self.version, let microseconds = Int64(parts[1]),
            (0...253_402_300_799_999_999).contains(microseconds), !parts[2].isEmpty
        else {
            throw StoreError(.invalidCursor, "the cursor is not one this server handed out")
        }
        self.init(createdAt: DatabaseTimestamp(microseconds: microseconds), id: String(parts[2]))
    }
}
