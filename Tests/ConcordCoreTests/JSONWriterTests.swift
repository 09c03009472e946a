import Foundation
import Testing

@testable import ConcordCore

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("strings with quotes, backslashes, control characters and non-ASCII read back exactly")
    func escaping() throws {
        let tricky = [
            "", "plain", "quote \" and \\ backslash", "lines\nand\ttabs\r", "\u{0}\u{1}\u{1F}", "日本語 ✓ 🚀", "</script>",
        ]
        var json = JSONWriter()
        json.beginArray()
        for value in tricky { json.string(value) }
        json.endArray()
        let parsed = try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String]
        #expect(parsed == tricky)
    }

    @Test("objects, arrays, numbers, booleans and nulls nest as written")
    func structure() throws {
        var json = JSONWriter()
        json.beginObject()
        json.key("n")
        json.int(-42)
        json.key("x")
        json.double(0.1)
        json.key("big")
        json.double(1e300)
        json.key("nan")
        json.double(.nan)
        json.key("list")
        json.beginArray()
        json.bool(true)
        json.null()
        json.beginObject()
        json.endObject()
        json.endArray()
        json.key("missing")
        json.int(nil)
        json.endObject()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect(object["n"] as? Int == -42)
        #expect(object["x"] as? Double == 0.1)
        #expect(object["big"] as? Double == 1e300)
        #expect(object["nan"] is NSNull)
        #expect(object["missing"] is NSNull)
        let list = try #require(object["list"] as? [Any])
        #expect(list.count == 3)
        #expect(list[0] as? Bool == true)
    }

    @Test("UTC timestamps match Foundation's ISO 8601 across centuries, leap days and before 1970")
    func utcTime() {
        let samples: [Int64] = [
            0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_795_762_800, 4_107_542_399,
            -2_208_988_800, 253_402_300_799,
        ]
        for seconds in samples + stride(from: -5_000_000_000, to: 5_000_000_000, by: 7_777_777).map({ $0 }) {
            let expected = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)
            #expect(UTCTime.iso8601(seconds) == expected, "\(seconds)")
        }
    }
}
