/// Values that satisfy a JSON schema, for tool-call arguments and structured-output replies.
///
/// Clients such as the OpenAI SDK's `parse` validate replies against their own (Pydantic) models, so the
/// sample follows `$ref`, `anyOf`, `enum` and common string formats rather than guessing from names.
extension JSON {
    /// `{"<first required or first property>": <value of its type>}`.
    static func sampleArguments(forSchema schema: JSON) -> JSON {
        let properties = schema["properties"]?.objectValue ?? []
        let required = schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard let key = required.first ?? properties.first?.key else { return [:] }
        let propertySchema = properties.first { $0.key == key }?.value ?? [:]
        var sampler = SchemaSampler(root: schema)
        return .object([(key, sampler.value(for: propertySchema))])
    }

    /// An object with the schema's required properties (all of them when none are listed), filled by type.
    static func sampleObject(forSchema schema: JSON) -> JSON {
        var sampler = SchemaSampler(root: schema)
        let value = sampler.value(for: schema)
        if case .object = value { return value }
        return [:]
    }
}

private struct SchemaSampler {
    let root: JSON
    var depth = 0
    /// Guards against schemas whose `$ref`s refer to themselves.
    static let maximumDepth = 12

    mutating func value(for schema: JSON) -> JSON {
        guard depth < Self.maximumDepth else { return .null }
        depth += 1
        defer { depth -= 1 }

        if let reference = schema["$ref"]?.stringValue {
            return value(for: resolve(reference))
        }
        if let constant = schema["const"] { return constant }
        if let first = schema["enum"]?.arrayValue?.first { return first }
        for combinator in ["anyOf", "oneOf", "allOf"] {
            if let options = schema[combinator]?.arrayValue {
                let preferred = options.first { $0["type"]?.stringValue != "null" } ?? options.first
                if let preferred { return value(for: preferred) }
            }
        }
        switch typeName(of: schema) {
        case "string": return .string(sampleString(format: schema["format"]?.stringValue))
        case "integer": return .int(1)
        case "number": return .int(1)
        case "boolean": return .bool(true)
        case "null": return .null
        case "array":
            guard let items = schema["items"] else { return [] }
            return .array([value(for: items)])
        default:
            // "object", or a schema that only lists properties.
            return object(for: schema)
        }
    }

    private mutating func object(for schema: JSON) -> JSON {
        let properties = schema["properties"]?.objectValue ?? []
        let required = schema["required"]?.arrayValue?.compactMap(\.stringValue)
        var members: [(key: String, value: JSON)] = []
        for (key, propertySchema) in properties where required?.contains(key) ?? true {
            members.append((key, value(for: propertySchema)))
        }
        // Required names that the schema forgot to describe still get a value.
        for key in required ?? [] where !properties.contains(where: { $0.key == key }) {
            members.append((key, .string("mock")))
        }
        return .object(members)
    }

    private func typeName(of schema: JSON) -> String? {
        if let name = schema["type"]?.stringValue { return name }
        // `"type": ["string", "null"]`
        return schema["type"]?.arrayValue?.compactMap(\.stringValue).first { $0 != "null" }
    }

    private func sampleString(format: String?) -> String {
        switch format {
        case "date-time": "2025-01-01T00:00:00Z"
        case "date": "2025-01-01"
        case "time": "00:00:00"
        case "email": "mock@example.com"
        case "uri", "url": "https://example.com/mock"
        case "uuid": "00000000-0000-4000-8000-000000000000"
        default: "mock"
        }
    }

    /// Local references only (`#/$defs/Name`, `#/definitions/Name`), which is what SDKs generate.
    private func resolve(_ reference: String) -> JSON {
        guard reference.hasPrefix("#") else { return [:] }
        var node = root
        for component in reference.dropFirst().split(separator: "/") {
            let key = String(component).replacing("~1", with: "/").replacing("~0", with: "~")
            guard let next = node[key] else { return [:] }
            node = next
        }
        return node
    }
}
