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
    /// The member under `key` as `extract` reads it: `nil` when absent or `null`, a mismatch when `extract` cannot
    /// read it. Every typed accessor below is this with its own `extract`.
    private func member<Member>(_ key: String, _ extract: (JSONValue) -> Member?) throws(FieldMismatch) -> Member? {
        guard let value = self[key], value != .null else { return nil }
        guard let member = extract(value) else { throw FieldMismatch() }
        return member
    }

    func string(_ key: String) throws(FieldMismatch) -> String? {
        try member(key) { if case .string(let value) = $0 { value } else { nil } }
    }

    func bool(_ key: String) throws(FieldMismatch) -> Bool? {
        try member(key) { if case .bool(let value) = $0 { value } else { nil } }
    }

    func double(_ key: String) throws(FieldMismatch) -> Double? {
        try member(key) { if case .number(let value) = $0 { value } else { nil } }
    }

    /// Whole numbers only, as `Int`'s `Decodable` form.
    func int(_ key: String) throws(FieldMismatch) -> Int? {
        try member(key) {
            if case .number(let value) = $0, value.rounded() == value, abs(value) < 9e15 { Int(value) } else { nil }
        }
    }

    func object(_ key: String) throws(FieldMismatch) -> ParsedObject? {
        try member(key) { if case .object(let members) = $0 { members } else { nil } }
    }

    func array(_ key: String) throws(FieldMismatch) -> [JSONValue]? {
        try member(key) { if case .array(let elements) = $0 { elements } else { nil } }
    }

    /// Any value but `null`, as `JSONValue`'s optional `Decodable` form.
    func value(_ key: String) -> JSONValue? {
        guard let value = self[key], value != .null else { return nil }
        return value
    }

    /// A member that must be there, as a non-optional property.
    func required<Member>(_ value: Member?) throws(FieldMismatch) -> Member {
        guard let value else { throw FieldMismatch() }
        return value
    }
}
