import ConcordCore

extension JSONValue {
    /// Written as `JSONValue`'s `Encodable` form writes it: whole numbers below 10^15 as integers.
    func write(to json: inout JSONWriter) {
        switch self {
        case .null: json.null()
        case .bool(let value): json.bool(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { json.int(Int(value)) } else { json.double(value) }
        case .string(let value): json.string(value)
        case .array(let values):
            json.beginArray()
            for value in values { value.write(to: &json) }
            json.endArray()
        case .object(let members):
            json.beginObject()
            for (key, value) in members {
                json.key(key)
                value.write(to: &json)
            }
            json.endObject()
        }
    }
}

extension JSONWriter {
    /// `"name": value` when there is a value; nothing when it is absent.
    mutating func optional(_ name: String, _ value: JSONValue?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    mutating func member(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }
}
