import ConcordCore

/// A parsed value that its `Decodable` form would refuse: the caller falls back to `JSONDecoder`, which says why.
struct FieldMismatch: Error {}

/// Reading a parsed JSON object (`JSONParser`) as a synthesized `Decodable` reads it: an absent or `null` optional
/// is `nil`, unknown members are ignored, and a member of another type is a `FieldMismatch`.
typealias ParsedObject = [String: JSONValue]

extension JSONValue {
    func object() throws(FieldMismatch) -> ParsedObject {
        guard case .object(let members) = self else { throw FieldMismatch() }
        return members
    }
}

extension [String: JSONValue] {
    func string(_ key: String) throws(FieldMismatch) -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw FieldMismatch()
        }
    }

    func bool(_ key: String) throws(FieldMismatch) -> Bool? {
        switch self[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw FieldMismatch()
        }
    }

    /// Any value but `null`, as `JSONValue`'s optional `Decodable` form.
    func value(_ key: String) -> JSONValue? {
        switch self[key] {
        case nil, .null?: return nil
        case let value?: return value
        }
    }

    func double(_ key: String) throws(FieldMismatch) -> Double? {
        switch self[key] {
        case nil, .null?: return nil
        case .number(let value)?: return value
        default: throw FieldMismatch()
        }
    }

    /// Whole numbers only, as `Int`'s `Decodable` form.
    func int(_ key: String) throws(FieldMismatch) -> Int? {
        switch self[key] {
        case nil, .null?: return nil
        case .number(let value)?:
            guard value.rounded() == value, abs(value) < 9e15 else { throw FieldMismatch() }
            return Int(value)
        default: throw FieldMismatch()
        }
    }

    func object(_ key: String) throws(FieldMismatch) -> ParsedObject? {
        switch self[key] {
        case nil, .null?: return nil
        case .object(let members)?: return members
        default: throw FieldMismatch()
        }
    }

    func array(_ key: String) throws(FieldMismatch) -> [JSONValue]? {
        switch self[key] {
        case nil, .null?: return nil
        case .array(let elements)?: return elements
        default: throw FieldMismatch()
        }
    }

    /// A member that must be there, as a non-optional property.
    func required<Member>(_ value: Member?) throws(FieldMismatch) -> Member {
        guard let value else { throw FieldMismatch() }
        return value
    }
}
