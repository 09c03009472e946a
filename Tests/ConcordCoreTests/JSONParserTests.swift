import ConcordCore
import Foundation
import Testing

/// `JSONParser` must read every document exactly as `JSONDecoder` reads it into a `JSONValue`, and refuse what is
/// not JSON, since upstream streams are read with it.
@Suite struct JSONParserTests {
    static let documents = [
        #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1795000000,"model":"gpt-4o","#
            + #""choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}"#,
        #"  { "a" : [ 1 , -2.5 , 3e2 , -0 , 0.000001 , 1E-3 , 123456789012345678 ] , "b" : { } , "c" : [ ] }  "#,
        #"{"text":"quote \" backslash \\ slash \/ controls \b\f\n\r\t unicode \u00e9 \u4e2d pair \ud83d\ude00"}"#,
        #"{"raw":"é 中 😀 plain UTF-8","empty":"","nested":{"deep":[[[{"x":null}]]]},"t":true,"f":false}"#,
        #"[1.5, "two", null, true, {"k": "v"}]"#,
        #""just a string""#, "42", "null", "-1.25e-10",
        #"{"duplicate":1,"duplicate":2}"#,
    ]

    @Test(arguments: documents)
    func readsAsJSONDecoderDoes(document: String) throws {
        let parsed = try JSONParser.parse(document)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(document.utf8))
        #expect(parsed == decoded)
    }

    static let notJSON = [
        "", "   ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "1e", "-",
        "+1", "tru", "nul", "\"unterminated", "\"bad escape \\x\"", "\"lone \\ud83d surrogate\"",
        "\"control \u{01} char\"", "[1] trailing", "{\"a\":1}{}", "NaN", "1e400",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ]

    @Test(arguments: notJSON)
    func refusesWhatIsNotJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        let bytes: [UInt8] = Array("{\"a\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        #expect(throws: JSONParser.Failure.self) { try bytes.withUnsafeBufferPointer { try JSONParser.parse($0) } }
    }

    @Test func numbersKeepTheirValue() throws {
        #expect(try JSONParser.parse("123456789012345678") == .number(123_456_789_012_345_678))
        #expect(try JSONParser.parse("-0.5") == .number(-0.5))
        #expect(try JSONParser.parse("2.5e3") == .number(2500))
        #expect(try JSONParser.parse("999999999999999") == .number(999_999_999_999_999))
    }
}
