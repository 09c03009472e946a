import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Responses are read with Foundation's parser, independent of the mock's own JSON code, as a client would.
func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    try jsonObject(String(buffer: buffer))
}

func jsonObject(_ text: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(value as? [String: Any], "not a JSON object: \(text)")
}

func isJSON(_ text: String) -> Bool {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
}

/// One server-sent event: its `event:` name (Anthropic) and its `data:` text.
struct ServerSentEvent {
    var name: String?
    var data: String
}

func serverSentEvents(_ buffer: ByteBuffer) -> [ServerSentEvent] {
    String(buffer: buffer).components(separatedBy: "\n\n").compactMap { block in
        guard !block.isEmpty else { return nil }
        var event = ServerSentEvent(name: nil, data: "")
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { event.name = String(line.dropFirst("event: ".count)) }
            if line.hasPrefix("data: ") { event.data = String(line.dropFirst("data: ".count)) }
        }
        return event
    }
}

/// The JSON payloads of a stream, without OpenAI's closing `[DONE]`.
func streamPayloads(_ buffer: ByteBuffer) throws -> [[String: Any]] {
    try serverSentEvents(buffer).filter { $0.data != "[DONE]" }.map { try jsonObject($0.data) }
}

extension Dictionary where Key == String, Value == Any {
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func objects(_ key: String) -> [[String: Any]]? { self[key] as? [[String: Any]] }
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { self[key] as? Int }
    func isNull(_ key: String) -> Bool { self[key] is NSNull }
}

extension TestResponse {
    var contentType: String? { headers[.contentType] }
    var receivedKey: String? { headers[HTTPField.Name("x-mock-received-key")!] }
}
