public import ConcordCore
public import Hummingbird

/// Text a caller sends that the gateway stores or looks up. PostgreSQL's text cannot hold a NUL character (a
/// statement binding one fails), and nothing stored has one — records are cleaned of them — so such a value is a
/// 400 naming the field, never a database error.
enum TextInput {
    static func check(_ value: String?, field: String) throws(GatewayError) -> String? {
        guard let value, value.utf8.contains(0) else { return value }
        throw .invalidField(field, "'\(field)' must not contain a NUL character.")
    }
}

extension Parameters {
    /// The query parameter `name`, refused if it holds a NUL character (`TextInput`).
    func text(_ name: String) throws(GatewayError) -> String? {
        try TextInput.check(get(name), field: name)
    }
}
