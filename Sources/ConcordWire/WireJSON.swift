public import ConcordCore
public import Foundation

/// JSON coding shared by the wire formats: decoding errors become `invalidRequest` errors that name the field.
public enum WireJSON {
    /// Reads a caller's request with `JSONParser` and `read`, or — when `read` meets anything the `Decodable` form
    /// would not accept as it stands — with `JSONDecoder`, whose errors name the field at fault.
    static func decodeRequest<T: Decodable>(
        _ type: T.Type,
        from body: Data,
        reading read: (JSONValue) throws(FieldMismatch) -> T
    ) throws(GatewayError) -> T {
        if let value = parsed(body, read) { return value }
        return try decodeRequest(type, from: body)
    }

    public static func decodeRequest<T: Decodable>(_ type: T.Type, from body: Data) throws(GatewayError) -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch let error as GatewayError {
            throw error
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw GatewayError(.invalidRequest, "The request body is not valid JSON.")
        }
    }

    /// Decodes an upstream's body; anything unreadable is the upstream's fault (502), never the caller's.
    public static func decodeUpstream<T: Decodable>(_ type: T.Type, from body: Data) throws(GatewayError) -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            let preview = String(decoding: body.prefix(200), as: UTF8.self)
            throw GatewayError(.upstreamError, "The upstream sent a body that could not be read: \(preview)")
        }
    }

    /// Reads an upstream's body with `JSONParser` and `read` — several times cheaper than `JSONDecoder` — or, when
    /// `read` meets something the `Decodable` form would refuse, with `JSONDecoder`, for the same value or error.
    static func decodeUpstream<T: Decodable>(
        _ type: T.Type,
        from body: Data,
        reading read: (JSONValue) throws(FieldMismatch) -> T
    ) throws(GatewayError) -> T {
        if let value = parsed(body, read) { return value }
        return try decodeUpstream(type, from: body)
    }

    /// The same for one streamed event's data.
    static func decodeUpstream<T: Decodable>(
        _ type: T.Type,
        from text: String,
        reading read: (JSONValue) throws(FieldMismatch) -> T
    ) throws(GatewayError) -> T {
        if let parsed = try? JSONParser.parse(text), let value = try? read(parsed) { return value }
        return try decodeUpstream(type, from: Data(text.utf8))
    }

    private static func parsed<T>(_ body: Data, _ read: (JSONValue) throws(FieldMismatch) -> T) -> T? {
        guard let json = parse(body) else { return nil }
        return try? read(json)
    }

    /// The body as a `JSONValue` (`JSONParser`), or `nil` when it is not JSON.
    static func parse(_ body: Data) -> JSONValue? {
        body.withUnsafeBytes { raw in try? JSONParser.parse(raw.bindMemory(to: UInt8.self)) }
    }

    public static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding our own wire structs cannot fail: they hold only strings, numbers and JSONValue.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    public static func encodeString(_ value: some Encodable) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    static func describe(_ error: DecodingError) -> GatewayError {
        func path(_ codingPath: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            var result = ""
            for component in codingPath + (key.map { [$0] } ?? []) {
                if let index = component.intValue {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty ? component.stringValue : ".\(component.stringValue)"
                }
            }
            return result
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, key)
            return .invalidField(field, "Missing required field '\(field)'.")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .invalidField(field, "Field '\(field)' has the wrong type: expected \(typeName(type)).")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return .invalidField(field, "Field '\(field)' must not be null: expected \(typeName(type)).")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return GatewayError(.invalidRequest, "The request body is not valid JSON.")
            }
            let field = path(context.codingPath)
            return .invalidField(field, "Field '\(field)' is invalid: \(context.debugDescription)")
        @unknown default:
            return GatewayError(.invalidRequest, "The request body could not be read.")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default:
            if String(describing: type).hasPrefix("Array") { "an array" } else { "an object" }
        }
    }
}

/// A coding key for any name, for types that read some fields by name and keep the rest.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(_ string: String) { self.stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
